package dev.imagesim.browse;

import java.util.Random;

/**
 * The first two principal components of a set of vectors, by power iteration on the centred data (never
 * forming the d×d covariance, so 4,096-d vectors cost what 64-d ones do times 64), deterministic: a fixed
 * start and each component's sign chosen so that its largest coefficient is positive.
 */
final class Pca {

    private static final int MAX_ITERATIONS = 200;
    private static final double CONVERGED = 1e-10;

    /** Each vector's coordinates on the two components, and the share of the variance each explains. */
    record Result(double[][] coordinates, double[] explained) {
    }

    private Pca() {
    }

    static Result project(float[][] vectors) {
        int n = vectors.length;
        if (n == 0) {
            return new Result(new double[0][2], new double[2]);
        }
        int d = vectors[0].length;
        double[][] centred = centred(vectors, d);
        double total = 0;
        for (double[] row : centred) {
            total += dot(row, row);
        }
        double[] first = component(centred, d, null, 1);
        double[] second = component(centred, d, first, 2);
        double[][] coordinates = new double[n][2];
        double[] variance = new double[2];
        for (int i = 0; i < n; i++) {
            coordinates[i][0] = dot(centred[i], first);
            coordinates[i][1] = dot(centred[i], second);
            variance[0] += coordinates[i][0] * coordinates[i][0];
            variance[1] += coordinates[i][1] * coordinates[i][1];
        }
        double[] explained = total == 0 ? new double[2] : new double[] {variance[0] / total, variance[1] / total};
        return new Result(coordinates, explained);
    }

    private static double[][] centred(float[][] vectors, int d) {
        double[] mean = new double[d];
        for (float[] vector : vectors) {
            for (int j = 0; j < d; j++) {
                mean[j] += vector[j];
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= vectors.length;
        }
        double[][] centred = new double[vectors.length][d];
        for (int i = 0; i < vectors.length; i++) {
            for (int j = 0; j < d; j++) {
                centred[i][j] = vectors[i][j] - mean[j];
            }
        }
        return centred;
    }

    /** The unit direction of most variance, orthogonal to {@code previous} when given; zero when none is left. */
    private static double[] component(double[][] data, int d, double[] previous, long seed) {
        Random random = new Random(seed);
        double[] v = new double[d];
        for (int j = 0; j < d; j++) {
            v[j] = random.nextGaussian();
        }
        if (!orthonormalise(v, previous)) {
            return v;
        }
        for (int iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
            double[] next = new double[d];
            for (double[] row : data) {
                double projection = dot(row, v);
                for (int j = 0; j < d; j++) {
                    next[j] += projection * row[j];
                }
            }
            if (!orthonormalise(next, previous)) {
                return next;
            }
            double change = 0;
            for (int j = 0; j < d; j++) {
                change += (next[j] - v[j]) * (next[j] - v[j]);
            }
            v = next;
            if (change < CONVERGED) {
                break;
            }
        }
        int largest = 0;
        for (int j = 1; j < d; j++) {
            if (Math.abs(v[j]) > Math.abs(v[largest])) {
                largest = j;
            }
        }
        if (v[largest] < 0) {
            for (int j = 0; j < d; j++) {
                v[j] = -v[j];
            }
        }
        return v;
    }

    /** Removes the part along {@code previous}, scales to unit length; false (and all zero) when nothing is left. */
    private static boolean orthonormalise(double[] v, double[] previous) {
        if (previous != null) {
            double along = dot(v, previous);
            for (int j = 0; j < v.length; j++) {
                v[j] -= along * previous[j];
            }
        }
        double norm = Math.sqrt(dot(v, v));
        if (norm < 1e-12) {
            java.util.Arrays.fill(v, 0);
            return false;
        }
        for (int j = 0; j < v.length; j++) {
            v[j] /= norm;
        }
        return true;
    }

    private static double dot(double[] a, double[] b) {
        double sum = 0;
        for (int j = 0; j < a.length; j++) {
            sum += a[j] * b[j];
        }
        return sum;
    }
}
