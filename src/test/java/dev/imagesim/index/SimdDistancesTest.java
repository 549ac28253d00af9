package dev.imagesim.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Random;

import com.github.jelmerk.hnswlib.core.DistanceFunctions;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The SIMD distances agree with hnswlib-core's scalar ones, tails (dimensions not a multiple of the lanes) included. */
class SimdDistancesTest {

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 7, 8, 9, 16, 64, 127, 784})
    void agreeWithTheScalarFunctions(int dimension) {
        assumeTrue(DistanceFunctionsFactory.SIMD, "the JVM runs without --add-modules jdk.incubator.vector");
        Random random = new Random(dimension);
        for (int trial = 0; trial < 50; trial++) {
            float[] u = new float[dimension];
            float[] v = new float[dimension];
            for (int i = 0; i < dimension; i++) {
                u[i] = (float) random.nextGaussian() * 10;
                v[i] = (float) random.nextGaussian() * 10;
            }
            float euclidean = DistanceFunctions.FLOAT_EUCLIDEAN_DISTANCE.distance(u, v);
            assertThat(new SimdDistances.Euclidean().distance(u, v)).isCloseTo(euclidean, within(euclidean * 1e-5f + 1e-5f));
            float inner = DistanceFunctions.FLOAT_INNER_PRODUCT.distance(u, v);
            assertThat(new SimdDistances.InnerProduct().distance(u, v))
                    .isCloseTo(inner, within(Math.abs(inner) * 1e-5f + 1e-3f));
        }
        assertThat(DistanceFunctionsFactory.of(Distance.EUCLIDEAN)).isInstanceOf(SimdDistances.Euclidean.class);
    }
}
