package dev.imagesim.embedding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import dev.imagesim.ImagesimException;

/** Concurrent small calls share engine batches, each caller gets its own rows, failures reach every caller. */
class MicroBatcherTest {

    /** An engine that doubles each input and records the size of every batch it is given. */
    private final List<Integer> batchSizes = new CopyOnWriteArrayList<>();

    private float[][] slowDoubling(List<float[]> inputs) {
        batchSizes.add(inputs.size());
        sleep(20);
        float[][] out = new float[inputs.size()][];
        for (int i = 0; i < inputs.size(); i++) {
            out[i] = new float[] {inputs.get(i)[0] * 2};
        }
        return out;
    }

    @Test
    void concurrentCallsAreBatchedAndAnsweredInOrder() throws Exception {
        try (MicroBatcher batcher = new MicroBatcher("test", 1, 8, Duration.ofMillis(5), this::slowDoubling)) {
            ExecutorService callers = Executors.newFixedThreadPool(16);
            List<Future<float[][]>> answers = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                float value = i;
                List<float[]> inputs = i % 4 == 0 ? List.of(new float[] {value}, new float[] {value + 0.5f})
                        : List.of(new float[] {value});
                answers.add(callers.submit(() -> batcher.run(inputs)));
            }
            for (int i = 0; i < 64; i++) {
                float[][] rows = answers.get(i).get();
                assertThat(rows[0][0]).isEqualTo(2f * i);
                if (i % 4 == 0) {
                    assertThat(rows).hasNumberOfRows(2);
                    assertThat(rows[1][0]).isEqualTo(2f * i + 1);
                }
            }
            callers.shutdown();
            assertThat(batchSizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(64 + 16);
            assertThat(batchSizes.size()).as("engine calls for 64 callers").isLessThan(20);
            assertThat(batchSizes).allMatch(size -> size <= 8 + 1);
        }
    }

    @Test
    void aLoneCallWaitsAtMostTheWindow() {
        try (MicroBatcher batcher = new MicroBatcher("test", 1, 8, Duration.ofMillis(2), this::slowDoubling)) {
            assertThat(batcher.run(List.of(new float[] {3}))[0][0]).isEqualTo(6f);
            assertThat(batchSizes).containsExactly(1);
        }
    }

    @Test
    void aFailedBatchFailsEveryCallInItAndTheWorkerGoesOn() throws Exception {
        try (MicroBatcher batcher = new MicroBatcher("test", 1, 8, Duration.ofMillis(1), inputs -> {
            if (inputs.stream().anyMatch(input -> input[0] < 0)) {
                throw ImagesimException.invalid("bad-input", "negative");
            }
            return slowDoubling(inputs);
        })) {
            assertThatThrownBy(() -> batcher.run(List.of(new float[] {-1}))).isInstanceOf(ImagesimException.class)
                    .hasMessage("negative");
            assertThat(batcher.run(List.of(new float[] {4}))[0][0]).isEqualTo(8f);
        }
    }

    @Test
    void callsAfterCloseAreRefused() {
        MicroBatcher batcher = new MicroBatcher("test", 1, 8, Duration.ZERO, this::slowDoubling);
        batcher.close();
        assertThatThrownBy(() -> batcher.run(List.of(new float[] {1}))).isInstanceOf(ImagesimException.class);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
