package dev.imagesim.index;

/** {@link VectorKernel}s as plain loops, for a JVM without the Vector API module. */
final class ScalarKernels {

    private ScalarKernels() {
    }

    /** {@code Σ (a−b)²}; the distance is its square root. */
    static final class SquaredEuclidean implements VectorKernel {

        @Override
        public float rankKey(float[] a, int aOffset, float[] b, int bOffset, int length) {
            float sum = 0;
            for (int i = 0; i < length; i++) {
                float d = a[aOffset + i] - b[bOffset + i];
                sum += d * d;
            }
            return sum;
        }
    }

    /** {@code 1 − a·b}: the cosine distance of unit vectors. */
    static final class InnerProduct implements VectorKernel {

        @Override
        public float rankKey(float[] a, int aOffset, float[] b, int bOffset, int length) {
            float dot = 0;
            for (int i = 0; i < length; i++) {
                dot += a[aOffset + i] * b[bOffset + i];
            }
            return 1f - dot;
        }
    }
}
