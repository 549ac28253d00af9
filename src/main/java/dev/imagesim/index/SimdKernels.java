package dev.imagesim.index;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link VectorKernel}s on the Vector API (AVX2 or AVX-512 where the CPU has them). Loaded only when the JVM
 * runs with {@code --add-modules jdk.incubator.vector}. {@link VectorKernel#rankKeys4} and
 * {@link VectorKernel#rankKey} add in the same order, so a distance does not depend on which of them a
 * search happened to use (results and their distances are the same after a restart rebuilt the graph in
 * another order).
 */
final class SimdKernels {

    /**
     * At most 256 bits: wider lanes do not make searches faster, and where AVX-512 runs as two 256-bit halves
     * their dearer lane reduction makes them slower (docs/performance.md).
     */
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED.vectorBitSize() > 256
            ? FloatVector.SPECIES_256 : FloatVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();

    private SimdKernels() {
    }

    /** {@code Σ (a−b)²}; the distance is its square root. */
    static final class SquaredEuclidean implements VectorKernel {

        @Override
        public float rankKey(float[] a, int aOffset, float[] b, int bOffset, int length) {
            FloatVector sum = FloatVector.zero(SPECIES);
            int i = 0;
            for (; i <= length - LANES; i += LANES) {
                FloatVector d = FloatVector.fromArray(SPECIES, b, bOffset + i)
                        .sub(FloatVector.fromArray(SPECIES, a, aOffset + i));
                sum = d.fma(d, sum);
            }
            float key = sum.reduceLanes(VectorOperators.ADD);
            for (; i < length; i++) {
                float ai = a[aOffset + i];
                key += (b[bOffset + i] - ai) * (b[bOffset + i] - ai);
            }
            return key;
        }

        @Override
        public void rankKeys4(float[] q, int qOffset, float[] a, int aOffset, float[] b, int bOffset, float[] c,
                int cOffset, float[] d, int dOffset, int length, float[] keys, int at) {
            FloatVector sa = FloatVector.zero(SPECIES);
            FloatVector sb = FloatVector.zero(SPECIES);
            FloatVector sc = FloatVector.zero(SPECIES);
            FloatVector sd = FloatVector.zero(SPECIES);
            int i = 0;
            for (; i <= length - LANES; i += LANES) {
                FloatVector qv = FloatVector.fromArray(SPECIES, q, qOffset + i);
                FloatVector da = FloatVector.fromArray(SPECIES, a, aOffset + i).sub(qv);
                FloatVector db = FloatVector.fromArray(SPECIES, b, bOffset + i).sub(qv);
                FloatVector dc = FloatVector.fromArray(SPECIES, c, cOffset + i).sub(qv);
                FloatVector dd = FloatVector.fromArray(SPECIES, d, dOffset + i).sub(qv);
                sa = da.fma(da, sa);
                sb = db.fma(db, sb);
                sc = dc.fma(dc, sc);
                sd = dd.fma(dd, sd);
            }
            float ka = sa.reduceLanes(VectorOperators.ADD);
            float kb = sb.reduceLanes(VectorOperators.ADD);
            float kc = sc.reduceLanes(VectorOperators.ADD);
            float kd = sd.reduceLanes(VectorOperators.ADD);
            for (; i < length; i++) {
                float qi = q[qOffset + i];
                ka += (a[aOffset + i] - qi) * (a[aOffset + i] - qi);
                kb += (b[bOffset + i] - qi) * (b[bOffset + i] - qi);
                kc += (c[cOffset + i] - qi) * (c[cOffset + i] - qi);
                kd += (d[dOffset + i] - qi) * (d[dOffset + i] - qi);
            }
            keys[at] = ka;
            keys[at + 1] = kb;
            keys[at + 2] = kc;
            keys[at + 3] = kd;
        }
    }

    /** {@code 1 − a·b}: the cosine distance of unit vectors. */
    static final class InnerProduct implements VectorKernel {

        @Override
        public float rankKey(float[] a, int aOffset, float[] b, int bOffset, int length) {
            FloatVector sum = FloatVector.zero(SPECIES);
            int i = 0;
            for (; i <= length - LANES; i += LANES) {
                sum = FloatVector.fromArray(SPECIES, b, bOffset + i).fma(FloatVector.fromArray(SPECIES, a, aOffset + i), sum);
            }
            float dot = sum.reduceLanes(VectorOperators.ADD);
            for (; i < length; i++) {
                dot += b[bOffset + i] * a[aOffset + i];
            }
            return 1f - dot;
        }

        @Override
        public void rankKeys4(float[] q, int qOffset, float[] a, int aOffset, float[] b, int bOffset, float[] c,
                int cOffset, float[] d, int dOffset, int length, float[] keys, int at) {
            FloatVector sa = FloatVector.zero(SPECIES);
            FloatVector sb = FloatVector.zero(SPECIES);
            FloatVector sc = FloatVector.zero(SPECIES);
            FloatVector sd = FloatVector.zero(SPECIES);
            int i = 0;
            for (; i <= length - LANES; i += LANES) {
                FloatVector qv = FloatVector.fromArray(SPECIES, q, qOffset + i);
                sa = FloatVector.fromArray(SPECIES, a, aOffset + i).fma(qv, sa);
                sb = FloatVector.fromArray(SPECIES, b, bOffset + i).fma(qv, sb);
                sc = FloatVector.fromArray(SPECIES, c, cOffset + i).fma(qv, sc);
                sd = FloatVector.fromArray(SPECIES, d, dOffset + i).fma(qv, sd);
            }
            float ka = sa.reduceLanes(VectorOperators.ADD);
            float kb = sb.reduceLanes(VectorOperators.ADD);
            float kc = sc.reduceLanes(VectorOperators.ADD);
            float kd = sd.reduceLanes(VectorOperators.ADD);
            for (; i < length; i++) {
                float qi = q[qOffset + i];
                ka += a[aOffset + i] * qi;
                kb += b[bOffset + i] * qi;
                kc += c[cOffset + i] * qi;
                kd += d[dOffset + i] * qi;
            }
            keys[at] = 1f - ka;
            keys[at + 1] = 1f - kb;
            keys[at + 2] = 1f - kc;
            keys[at + 3] = 1f - kd;
        }
    }
}
