package dev.imagesim.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import ai.djl.pytorch.jni.JniUtils;
import ai.djl.pytorch.jni.LibUtils;

import com.sun.jna.Library;
import com.sun.jna.Native;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * libtorch's intra-op thread count for one calling thread. libtorch's CPU build runs its ops on OpenMP, which
 * keeps the count per thread: libtorch sets it from the global count ({@code imagesim.engine.threads}) the
 * first time a thread runs an op, and every op on that thread then uses it. Setting it afterwards through
 * the OpenMP library libtorch loaded (its own copy of libgomp, beside libtorch) changes that thread only, so
 * embedding calls that run side by side can share the cores instead of each starting threads for all of them,
 * while training keeps the global count. Where that library cannot be found (another build of the natives)
 * {@link #use} does nothing and every thread keeps the global count.
 */
public final class IntraOpThreads {

    private static final Logger log = LoggerFactory.getLogger(IntraOpThreads.class);

    /** The OpenMP call used here. */
    interface OpenMp extends Library {
        void omp_set_num_threads(int threads);
    }

    private final int total;
    private final OpenMp openMp;

    private IntraOpThreads(int total, OpenMp openMp) {
        this.total = total;
        this.openMp = openMp;
    }

    /** Binds libtorch's OpenMP; call once the engine is loaded. */
    static IntraOpThreads bind() {
        int total = globalCount();
        Path dir = Path.of(LibUtils.getLibtorchPath());
        try (Stream<Path> files = Files.list(dir)) {
            Path gomp = files.filter(file -> file.getFileName().toString().startsWith("libgomp")).findFirst()
                    .orElse(null);
            if (gomp != null) {
                return new IntraOpThreads(total, Native.load(gomp.toString(), OpenMp.class));
            }
            log.info("no OpenMP library beside libtorch in {}: every embedding call uses {} intra-op threads",
                    dir, total);
        } catch (IOException | LinkageError e) {
            log.warn("cannot bind libtorch's OpenMP in {} ({}): every embedding call uses {} intra-op threads", dir,
                    e.toString(), total);
        }
        return new IntraOpThreads(total, null);
    }

    /**
     * The count a thread starts with, read on a new thread: the calling thread may have a count of its own
     * (the engine is one per process, and an earlier runtime's calls may have set one here).
     */
    private static int globalCount() {
        int[] count = new int[1];
        Thread reader = new Thread(() -> count[0] = JniUtils.getNumThreads(), "intra-op-threads");
        reader.start();
        try {
            reader.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return JniUtils.getNumThreads();
        }
        return count[0];
    }

    /** The global count: what a thread uses unless {@link #use} changed it. */
    public int total() {
        return total;
    }

    /** libtorch's intra-op thread count on the calling thread. */
    public static int onThisThread() {
        return JniUtils.getNumThreads();
    }

    /** Whether {@link #use} can change a thread's count. */
    public boolean adjustable() {
        return openMp != null;
    }

    /**
     * Makes libtorch's ops on the calling thread use {@code threads} threads, from now on. Reading the count
     * first makes libtorch initialise the thread, which would otherwise reset the count at its first op.
     */
    public void use(int threads) {
        if (openMp == null || onThisThread() == threads) {
            return;
        }
        openMp.omp_set_num_threads(threads);
    }
}
