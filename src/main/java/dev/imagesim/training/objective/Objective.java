package dev.imagesim.training.objective;

import java.util.Optional;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;

/**
 * A training objective. The trainer runs the embedding network, then the objective's head (if any) on the
 * embedding, and asks the objective for the batch loss.
 */
public interface Objective {

    /**
     * A trainable block applied to the embedding (a classifier or a decoder); it is not part of the model.
     * None by default: metric losses read the embedding itself.
     */
    default Optional<Block> head() {
        return Optional.empty();
    }

    /** Whether batches must be P×K samples of labelled classes; false for objectives that ignore labels. */
    default boolean usesLabels() {
        return true;
    }

    /**
     * Augmented views of each image a batch holds, 1 by default; with 2, a batch of 2N holds N images, their
     * first views then their second ones in the same order.
     */
    default int views() {
        return 1;
    }

    /** The network input made from a batch of clean images; a denoising autoencoder corrupts it. */
    default NDArray corrupt(NDArray clean) {
        return clean;
    }

    /**
     * The loss of one batch.
     *
     * @param embedding  B×D raw embedding-network output
     * @param headOutput the head's output, or null without a head
     * @param clean      the uncorrupted B×C×H×W input
     * @param labels     class index of each sample
     */
    ObjectiveLoss loss(NDArray embedding, NDArray headOutput, NDArray clean, int[] labels);

    /** Updates state the optimiser does not own (center loss centres) after a step; embedding is detached. */
    default void afterStep(float[][] embedding, int[] labels) {
    }
}
