package dev.imagesim.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;

import dev.imagesim.TestEngine;

/**
 * The service's thread count for libtorch reaches one thread only: a thread that set its own keeps it
 * through later ops (libtorch would reset a thread's count at its first op if the count were set before it),
 * and another thread still reads the global count.
 */
class IntraOpThreadsTest {

    @Test
    void aThreadsOwnCountHoldsForThatThreadOnly() throws Exception {
        IntraOpThreads threads = TestEngine.start().intraOpThreads();
        assertThat(threads.adjustable()).as("libgomp found beside libtorch").isTrue();
        int own = threads.total() + 1;
        int afterAnOp = onNewThread(() -> {
            threads.use(own);
            try (NDManager manager = NDManager.newBaseManager()) {
                NDArray product = manager.ones(new Shape(64, 64)).matMul(manager.ones(new Shape(64, 64)));
                assertThat(product.getFloat(0, 0)).isEqualTo(64f);
            }
            return JniUtils.getNumThreads();
        });
        assertThat(afterAnOp).isEqualTo(own);
        assertThat(onNewThread(JniUtils::getNumThreads)).as("a thread that never set its own")
                .isEqualTo(threads.total());
    }

    private static int onNewThread(Supplier<Integer> task) throws Exception {
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try {
            return CompletableFuture.supplyAsync(task, thread).get();
        } finally {
            thread.shutdownNow();
        }
    }
}
