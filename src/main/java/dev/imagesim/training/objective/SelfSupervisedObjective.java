package dev.imagesim.training.objective;

import java.util.Optional;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;

/**
 * Self-supervised instance discrimination (SimCLR's NT-Xent, Chen et al. 2020), which needs no labels: a batch
 * holds two differently augmented views of each of its images, the first views then the second ones in the
 * same order. Each view's positive is the other view of its image and its negatives are the 2N−2 views of the
 * other images: L = −log( exp(s⁺/τ) / Σ_{j≠i} exp(s_ij/τ) ), s the cosine similarity, averaged over the 2N
 * views. The loss reads a projection head (linear, ReLU, linear, as wide as the embedding) on the embedding, which
 * is dropped after training: what the head throws away to match the views is kept in the embedding, which
 * SimCLR found the better representation. With copy edits as the augmentation the embedding learns what a copy
 * of an image is, which a class objective cannot teach (it pulls every image of a class together); there the
 * loss reads the embedding itself, since copies are matched by exactly the invariance a head would absorb.
 */
public final class SelfSupervisedObjective implements Objective {

    private static final float MASKED = -1e9f;

    private final float temperature;
    private final Block projection;

    /** With {@code projectionHead} false the loss reads the embedding itself, as a copy model wants. */
    public SelfSupervisedObjective(float temperature, int embeddingDim, boolean projectionHead) {
        this.temperature = temperature;
        this.projection = !projectionHead ? null : new SequentialBlock()
                .add(Linear.builder().setUnits(embeddingDim).build())
                .add(Activation.reluBlock())
                .add(Linear.builder().setUnits(embeddingDim).build());
    }

    @Override
    public Optional<Block> head() {
        return Optional.ofNullable(projection);
    }

    @Override
    public boolean usesLabels() {
        return false;
    }

    @Override
    public int views() {
        return 2;
    }

    @Override
    public ObjectiveLoss loss(NDArray embedding, NDArray headOutput, NDArray clean, int[] labels) {
        NDArray compared = projection == null ? embedding : headOutput;
        int size = (int) compared.getShape().get(0);
        int images = size / 2;
        float[] self = new float[size * size];
        float[] positive = new float[size * size];
        for (int i = 0; i < size; i++) {
            self[i * size + i] = MASKED;
            positive[i * size + (i + images) % size] = 1f;
        }
        Shape square = new Shape(size, size);
        NDArray x = Embeddings.normalised(compared);
        NDArray logits = x.matMul(x.transpose()).div(temperature)
                .add(compared.getManager().create(self, square));
        NDArray loss = logits.logSoftmax(1).mul(compared.getManager().create(positive, square)).sum().neg()
                .div(size);
        return new ObjectiveLoss(loss, notNearest(logits.toFloatArray(), size, images));
    }

    /** The share of views whose other view is not yet the nearest of all the batch's views. */
    private static double notNearest(float[] logits, int size, int images) {
        int missed = 0;
        for (int i = 0; i < size; i++) {
            float own = logits[i * size + (i + images) % size];
            for (int j = 0; j < size; j++) {
                if (j != i && logits[i * size + j] > own) {
                    missed++;
                    break;
                }
            }
        }
        return (double) missed / size;
    }
}
