package dev.imagesim.training.objective;

import java.util.Optional;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;

/**
 * The baseline: a linear classifier over the embedding trained with cross-entropy. It separates the
 * training classes but says nothing about distances, which is what the metric objectives fix.
 */
public final class SoftmaxObjective implements Objective {

    private final Block classifier;

    public SoftmaxObjective(int classes) {
        this.classifier = Linear.builder().setUnits(classes).build();
    }

    @Override
    public Optional<Block> head() {
        return Optional.of(classifier);
    }

    @Override
    public ObjectiveLoss loss(NDArray embedding, NDArray headOutput, NDArray clean, int[] labels) {
        return ObjectiveLoss.of(Embeddings.crossEntropy(headOutput, labels));
    }
}
