package dev.imagesim.training.objective;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Contrastive loss over every pair in the batch (Hadsell et al. 2006):
 * L = ½·y·d² + ½·(1−y)·max(0, α − d)², y = 1 for a same-class pair, d the Euclidean distance between
 * L2-normalised embeddings, averaged over the B(B−1)/2 pairs.
 */
public final class ContrastiveObjective implements Objective {

    private final float margin;

    public ContrastiveObjective(float margin) {
        this.margin = margin;
    }

    @Override
    public ObjectiveLoss loss(NDArray embedding, NDArray headOutput, NDArray clean, int[] labels) {
        int size = labels.length;
        float[] same = new float[size * size];
        float[] different = new float[size * size];
        for (int i = 0; i < size; i++) {
            for (int j = i + 1; j < size; j++) {
                (labels[i] == labels[j] ? same : different)[i * size + j] = 1f;
            }
        }
        NDArray x = Embeddings.normalised(embedding);
        NDArray d = Embeddings.distances(x);
        Shape shape = new Shape(size, size);
        NDArray positive = embedding.getManager().create(same, shape);
        NDArray negative = embedding.getManager().create(different, shape);
        NDArray pull = positive.mul(d.square());
        NDArray hinge = d.neg().add(margin).maximum(0f);
        NDArray push = negative.mul(hinge.square());
        long pairs = (long) size * (size - 1) / 2;
        NDArray loss = pull.add(push).sum().mul(0.5f).div(Math.max(pairs, 1));
        return new ObjectiveLoss(loss, pairs == 0 ? 0 : (double) activePairs(d.toFloatArray(), labels) / pairs);
    }

    /** Pairs with a non-zero loss: same-class pairs apart, different-class pairs inside the margin. */
    private long activePairs(float[] d, int[] labels) {
        int size = labels.length;
        long active = 0;
        for (int i = 0; i < size; i++) {
            for (int j = i + 1; j < size; j++) {
                float distance = d[i * size + j];
                active += labels[i] == labels[j] ? (distance > 1e-5f ? 1 : 0) : (distance < margin ? 1 : 0);
            }
        }
        return active;
    }
}
