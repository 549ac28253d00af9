package dev.imagesim.model;

import com.sun.jna.Library;
import com.sun.jna.Native;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Native settings that libtorch and glibc read only from the process environment or from {@code mallopt},
 * applied by the service itself, in its own process, before the PyTorch engine loads (through JNA and the C
 * library), so that no launcher has to remember them:
 * <ul>
 *   <li>{@code OMP_WAIT_POLICY} (libgomp reads it once, when libtorch loads it): {@code PASSIVE} stops idle
 *       OpenMP threads spinning on shared cores (measured on 2 cores: batch-1 latency 686 ms → 4 ms). A value
 *       already in the environment wins.</li>
 *   <li>glibc's allocator: a fixed 32 MB mmap threshold, a 2 GB trim threshold and 256 MB top pad keep freed
 *       activation buffers for the next batch instead of returning them to the kernel and faulting them in
 *       again (measured: ResNet-18 batch 32 +27–30% images/s; see docs/performance.md), and no mmap at all,
 *       so that buffers above the threshold (a ResNet stem's activations at batch 32 are 103 MB) are kept
 *       too. That holds for the main arena only: a thread with an arena of its own always maps such
 *       buffers and unmaps them when freed. glibc fixes the number of arenas before any Java code runs,
 *       so {@code MALLOC_ARENA_MAX=1} can only come from the environment that starts the JVM. It is a
 *       trade-off, so it is not the default: ResNet-18 at batch 32 about 1.8× faster, but searches over
 *       HTTP at half the requests/s (docs/performance.md). Without it this logs how to opt in.</li>
 * </ul>
 * Where the C library cannot be reached (not glibc, no JNA native support) it logs why and changes nothing.
 */
final class NativeEnvironment {

    private static final Logger log = LoggerFactory.getLogger(NativeEnvironment.class);
    private static final int M_TRIM_THRESHOLD = -1;
    private static final int M_TOP_PAD = -2;
    private static final int M_MMAP_THRESHOLD = -3;
    private static final int M_MMAP_MAX = -4;

    /** The C library functions used here. */
    interface LibC extends Library {
        int setenv(String name, String value, int overwrite);

        String getenv(String name);

        int mallopt(int parameter, int value);
    }

    private NativeEnvironment() {
    }

    /** Applies the settings; returns the OMP_WAIT_POLICY in effect for libtorch (null when unknown). */
    static String apply(EngineProperties properties) {
        LibC c;
        try {
            c = Native.load("c", LibC.class);
        } catch (LinkageError e) {
            log.warn("cannot reach the C library ({}); OMP_WAIT_POLICY and malloc settings stay as the launcher set "
                    + "them", e.toString());
            return System.getenv("OMP_WAIT_POLICY");
        }
        if (!properties.ompWaitPolicy().isEmpty()) {
            c.setenv("OMP_WAIT_POLICY", properties.ompWaitPolicy(), 0);
        }
        if (properties.tuneMalloc()) {
            boolean applied = c.mallopt(M_MMAP_THRESHOLD, 32 << 20) == 1
                    & c.mallopt(M_TRIM_THRESHOLD, Integer.MAX_VALUE) == 1
                    & c.mallopt(M_TOP_PAD, 256 << 20) == 1
                    & c.mallopt(M_MMAP_MAX, 0) == 1;
            if (!applied) {
                log.warn("mallopt refused a setting: the allocator keeps its defaults");
            }
            if (!"1".equals(c.getenv("MALLOC_ARENA_MAX"))) {
                log.info("MALLOC_ARENA_MAX is not 1: inference threads map and unmap every large activation "
                        + "buffer; a deployment that mostly embeds with large CNNs can start the JVM with "
                        + "MALLOC_ARENA_MAX=1 (batches up to 1.8x faster, searches slower; see docs/configuration.md)");
            }
        }
        return c.getenv("OMP_WAIT_POLICY");
    }
}
