package dev.imagesim.index;

import java.lang.management.ManagementFactory;

import com.sun.management.HotSpotDiagnosticMXBean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.imagesim.vector.Distance;

/**
 * The distance the index ranks by, between two vectors that lie inside larger arrays (the index keeps its
 * vectors side by side in pages). Euclidean collections rank by the squared distance and cosine collections
 * by {@code 1 − a·b} of unit vectors (the index turns a rank key into the collection's distance).
 * SIMD kernels ({@link SimdKernels}) run when the JVM has the incubating Vector API module, scalar loops
 * ({@link ScalarKernels}) otherwise; which one is said once in the log, with whether the heap (and so the
 * index's pages) lies on transparent huge pages.
 */
interface VectorKernel {

    /** The rank key between {@code a[aOffset ..]} and {@code b[bOffset ..]}, {@code length} elements each. */
    float rankKey(float[] a, int aOffset, float[] b, int bOffset, int length);

    /**
     * The rank keys between {@code q[qOffset ..]} and four vectors, into {@code keys[at .. at+3]}. A kernel
     * that reads the four side by side keeps four memory reads in flight where one at a time would wait
     * for each (the C++ index prefetches instead, which Java cannot).
     */
    default void rankKeys4(float[] q, int qOffset, float[] a, int aOffset, float[] b, int bOffset, float[] c,
            int cOffset, float[] d, int dOffset, int length, float[] keys, int at) {
        keys[at] = rankKey(q, qOffset, a, aOffset, length);
        keys[at + 1] = rankKey(q, qOffset, b, bOffset, length);
        keys[at + 2] = rankKey(q, qOffset, c, cOffset, length);
        keys[at + 3] = rankKey(q, qOffset, d, dOffset, length);
    }

    boolean SIMD = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    static VectorKernel of(Distance distance) {
        return Selection.of(distance);
    }

    /** Holds the log line, said when the first index is made. */
    final class Selection {

        private static final Logger log = LoggerFactory.getLogger(VectorKernel.class);

        static {
            if (SIMD) {
                log.info("index distances use the Vector API (SIMD)");
            } else {
                log.info("index distances use scalar loops; start the JVM with --add-modules jdk.incubator.vector "
                        + "for SIMD");
            }
            if (hugePages()) {
                log.info("the index lies on transparent huge pages");
            } else {
                log.info("the index lies on small pages; large indexes search faster on a JVM started with "
                        + "-XX:+UseTransparentHugePages where the kernel allows them");
            }
        }

        /**
         * Whether the JVM runs with {@code UseTransparentHugePages} (it turns it off where the kernel has none;
         * a JVM other than HotSpot on Linux has no such option).
         */
        private static boolean hugePages() {
            HotSpotDiagnosticMXBean hotSpot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            try {
                return hotSpot != null
                        && Boolean.parseBoolean(hotSpot.getVMOption("UseTransparentHugePages").getValue());
            } catch (IllegalArgumentException noSuchOption) {
                return false;
            }
        }

        private Selection() {
        }

        static VectorKernel of(Distance distance) {
            if (distance == Distance.COSINE) {
                return SIMD ? new SimdKernels.InnerProduct() : new ScalarKernels.InnerProduct();
            }
            return SIMD ? new SimdKernels.SquaredEuclidean() : new ScalarKernels.SquaredEuclidean();
        }
    }
}
