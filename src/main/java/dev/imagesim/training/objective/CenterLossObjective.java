package dev.imagesim.training.objective;

import java.util.Optional;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;

/**
 * Softmax plus center loss (Wen et al. 2016): L = CE + λ·½·(1/B)·Σ‖x_i − c_{y_i}‖². The 1/B matches the
 * authors' implementation and keeps λ independent of the batch size. The centres are not trained by the
 * optimiser: after each step, Δc_j = Σ_{y_i=j}(c_j − x_i) / (1 + n_j) and c_j ← c_j − α·Δc_j.
 */
public final class CenterLossObjective implements Objective {

    private final SoftmaxObjective softmax;
    private final float lambda;
    private final float alpha;
    private final float[][] centres;

    public CenterLossObjective(int classes, int dimension, float lambda, float alpha) {
        this.softmax = new SoftmaxObjective(classes);
        this.lambda = lambda;
        this.alpha = alpha;
        this.centres = new float[classes][dimension];
    }

    @Override
    public Optional<Block> head() {
        return softmax.head();
    }

    @Override
    public ObjectiveLoss loss(NDArray embedding, NDArray headOutput, NDArray clean, int[] labels) {
        int dimension = centres[0].length;
        float[] batchCentres = new float[labels.length * dimension];
        for (int i = 0; i < labels.length; i++) {
            System.arraycopy(centres[labels[i]], 0, batchCentres, i * dimension, dimension);
        }
        NDArray own = embedding.getManager().create(batchCentres, embedding.getShape());
        NDArray pull = embedding.sub(own).square().sum(new int[] {1}).mean().mul(lambda / 2);
        return ObjectiveLoss.of(softmax.loss(embedding, headOutput, clean, labels).value().add(pull));
    }

    @Override
    public void afterStep(float[][] embedding, int[] labels) {
        int dimension = centres[0].length;
        float[][] delta = new float[centres.length][dimension];
        int[] counts = new int[centres.length];
        for (int i = 0; i < labels.length; i++) {
            int j = labels[i];
            counts[j]++;
            for (int k = 0; k < dimension; k++) {
                delta[j][k] += centres[j][k] - embedding[i][k];
            }
        }
        for (int j = 0; j < centres.length; j++) {
            if (counts[j] == 0) {
                continue;
            }
            for (int k = 0; k < dimension; k++) {
                centres[j][k] -= alpha * delta[j][k] / (1 + counts[j]);
            }
        }
    }

    /** A copy of the current centres, one row per class. */
    public float[][] centres() {
        float[][] copy = new float[centres.length][];
        for (int j = 0; j < centres.length; j++) {
            copy[j] = centres[j].clone();
        }
        return copy;
    }

    /** Restores centres saved with a checkpoint. */
    public void restoreCentres(float[][] saved) {
        for (int j = 0; j < centres.length; j++) {
            System.arraycopy(saved[j], 0, centres[j], 0, centres[j].length);
        }
    }
}
