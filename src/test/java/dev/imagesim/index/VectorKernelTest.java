package dev.imagesim.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Random;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.imagesim.vector.Distance;

/**
 * The kernels compute what their names say, on vectors at an offset inside larger arrays (as the index's
 * pages hold them), and the SIMD ones agree with the scalar ones, tails (dimensions not a multiple of the
 * lanes) included.
 */
class VectorKernelTest {

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 7, 8, 9, 16, 33, 64, 127, 784})
    void scalarKernelsMatchTheDefinitions(int dimension) {
        Random random = new Random(dimension);
        for (int trial = 0; trial < 20; trial++) {
            float[] u = gaussian(random, dimension);
            float[] v = gaussian(random, dimension);
            float[] page = embed(random, v, 5);
            float euclidean = Distance.EUCLIDEAN.between(u, v);
            assertThat(new ScalarKernels.SquaredEuclidean().rankKey(u, 0, page, 5 * dimension, dimension))
                    .isCloseTo(euclidean * euclidean, within(euclidean * euclidean * 1e-5f + 1e-5f));
            double dot = 0;
            for (int i = 0; i < dimension; i++) {
                dot += (double) u[i] * v[i];
            }
            assertThat(new ScalarKernels.InnerProduct().rankKey(u, 0, page, 5 * dimension, dimension))
                    .isCloseTo((float) (1 - dot), within((float) Math.abs(dot) * 1e-5f + 1e-3f));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 7, 8, 9, 16, 33, 64, 127, 784})
    void simdKernelsAgreeWithTheScalarOnes(int dimension) {
        assumeTrue(VectorKernel.SIMD, "the JVM runs without --add-modules jdk.incubator.vector");
        Random random = new Random(dimension);
        for (int trial = 0; trial < 50; trial++) {
            float[] u = gaussian(random, dimension);
            float[] v = gaussian(random, dimension);
            float[] left = embed(random, u, 3);
            float[] right = embed(random, v, 7);
            double magnitude = 0; // float sums in another order differ by rounding of about this size
            for (int i = 0; i < dimension; i++) {
                magnitude += Math.abs((double) u[i] * v[i]);
            }
            float euclidean = new ScalarKernels.SquaredEuclidean().rankKey(left, 3 * dimension, right, 7 * dimension, dimension);
            assertThat(new SimdKernels.SquaredEuclidean().rankKey(left, 3 * dimension, right, 7 * dimension, dimension))
                    .isCloseTo(euclidean, within(euclidean * 1e-5f + 1e-5f));
            float inner = new ScalarKernels.InnerProduct().rankKey(left, 3 * dimension, right, 7 * dimension, dimension);
            assertThat(new SimdKernels.InnerProduct().rankKey(left, 3 * dimension, right, 7 * dimension, dimension))
                    .isCloseTo(inner, within((float) magnitude * 1e-6f + 1e-3f));
        }
        assertThat(VectorKernel.of(Distance.EUCLIDEAN)).isInstanceOf(SimdKernels.SquaredEuclidean.class);
    }

    /** A distance must not depend on whether a search computed it alone or four at a time. */
    @ParameterizedTest
    @ValueSource(ints = {1, 7, 8, 9, 33, 128, 784})
    void fourAtATimeEqualsOneAtATimeExactly(int dimension) {
        Random random = new Random(dimension);
        float[] q = gaussian(random, dimension);
        float[] page = gaussian(random, dimension * 10);
        for (Distance distance : Distance.values()) {
            VectorKernel kernel = VectorKernel.of(distance);
            float[] keys = new float[5];
            kernel.rankKeys4(q, 0, page, 0, page, 3 * dimension, page, 9 * dimension, page, 5 * dimension, dimension,
                    keys, 1);
            int[] slots = {0, 3, 9, 5};
            for (int i = 0; i < 4; i++) {
                assertThat(keys[i + 1]).isEqualTo(kernel.rankKey(q, 0, page, slots[i] * dimension, dimension));
            }
        }
    }

    private static float[] gaussian(Random random, int dimension) {
        float[] v = new float[dimension];
        for (int i = 0; i < dimension; i++) {
            v[i] = (float) random.nextGaussian() * 10;
        }
        return v;
    }

    /** A page of ten random vectors with {@code v} at position {@code slot}. */
    private static float[] embed(Random random, float[] v, int slot) {
        float[] page = gaussian(random, v.length * 10);
        System.arraycopy(v, 0, page, slot * v.length, v.length);
        return page;
    }
}
