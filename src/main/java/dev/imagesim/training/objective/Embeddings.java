package dev.imagesim.training.objective;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/** Operations on batches of embeddings shared by the objectives. */
final class Embeddings {

    private static final float EPSILON = 1e-12f;

    private Embeddings() {
    }

    /** Each row scaled to unit L2 norm, as the service stores and compares embeddings. */
    static NDArray normalised(NDArray embedding) {
        NDArray norms = embedding.square().sum(new int[] {1}, true).sqrt().maximum(EPSILON);
        return embedding.div(norms);
    }

    /** B×B matrix of squared Euclidean distances, clipped at zero against rounding. */
    static NDArray squaredDistances(NDArray x) {
        NDArray squares = x.square().sum(new int[] {1}, true);
        NDArray gram = x.matMul(x.transpose());
        return squares.add(squares.transpose()).sub(gram.mul(2)).maximum(0f);
    }

    /** B×B matrix of Euclidean distances; the epsilon keeps the gradient finite at zero distance. */
    static NDArray distances(NDArray x) {
        return squaredDistances(x).add(EPSILON).sqrt();
    }

    /** Row-major index of each (row, column) pair into a flattened {@code size}×{@code size} matrix. */
    static NDArray flatIndices(NDManager manager, int[] rows, int[] columns, int size) {
        long[] flat = new long[rows.length];
        for (int i = 0; i < rows.length; i++) {
            flat[i] = (long) rows[i] * size + columns[i];
        }
        return manager.create(flat);
    }

    static float[][] toMatrix(NDArray square) {
        int size = (int) square.getShape().get(0);
        float[] values = square.toFloatArray();
        float[][] matrix = new float[size][];
        for (int i = 0; i < size; i++) {
            matrix[i] = java.util.Arrays.copyOfRange(values, i * size, (i + 1) * size);
        }
        return matrix;
    }

    /** Mean cross-entropy of logits against integer labels. */
    static NDArray crossEntropy(NDArray logits, int[] labels) {
        int classes = (int) logits.getShape().get(1);
        long[] indices = java.util.Arrays.stream(labels).asLongStream().toArray();
        NDArray oneHot = logits.getManager().create(indices).oneHot(classes).toType(logits.getDataType(), false);
        return logits.logSoftmax(1).mul(oneHot).sum(new int[] {1}).neg().mean();
    }
}
