package dev.imagesim.index;

import com.github.jelmerk.hnswlib.core.DistanceFunction;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Distance functions on the Vector API (SIMD: AVX2 or AVX-512 where the CPU has them), with the same
 * results as hnswlib-core's scalar {@code FLOAT_EUCLIDEAN_DISTANCE} and {@code FLOAT_INNER_PRODUCT} up to
 * float rounding. Loaded only when the JVM runs with {@code --add-modules jdk.incubator.vector}
 * ({@link DistanceFunctionsFactory}); the classes are serialised into index snapshots by name.
 */
final class SimdDistances {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    private SimdDistances() {
    }

    /** {@code sqrt(Σ (u−v)²)}. */
    static final class Euclidean implements DistanceFunction<float[], Float> {

        private static final long serialVersionUID = 1L;

        @Override
        public Float distance(float[] u, float[] v) {
            int bound = SPECIES.loopBound(u.length);
            FloatVector sum = FloatVector.zero(SPECIES);
            int i = 0;
            for (; i < bound; i += SPECIES.length()) {
                FloatVector diff = FloatVector.fromArray(SPECIES, u, i).sub(FloatVector.fromArray(SPECIES, v, i));
                sum = diff.fma(diff, sum);
            }
            float total = sum.reduceLanes(VectorOperators.ADD);
            for (; i < u.length; i++) {
                float diff = u[i] - v[i];
                total += diff * diff;
            }
            return (float) Math.sqrt(total);
        }
    }

    /** {@code 1 − u·v}: the cosine distance of unit vectors. */
    static final class InnerProduct implements DistanceFunction<float[], Float> {

        private static final long serialVersionUID = 1L;

        @Override
        public Float distance(float[] u, float[] v) {
            int bound = SPECIES.loopBound(u.length);
            FloatVector sum = FloatVector.zero(SPECIES);
            int i = 0;
            for (; i < bound; i += SPECIES.length()) {
                sum = FloatVector.fromArray(SPECIES, u, i).fma(FloatVector.fromArray(SPECIES, v, i), sum);
            }
            float dot = sum.reduceLanes(VectorOperators.ADD);
            for (; i < u.length; i++) {
                dot += u[i] * v[i];
            }
            return 1f - dot;
        }
    }
}
