package dev.imagesim.training.objective;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Triplet loss L = max(0, d(a,p)² − d(a,n)² + α) on L2-normalised embeddings (or with plain distances
 * when {@code squared} is false), over the triplets a {@link TripletMiner} picks from each P×K batch.
 * Batch-all averages over the triplets with a positive loss (so easy triplets do not dilute the signal);
 * the other miners average over all triplets they chose.
 */
public final class TripletObjective implements Objective {

    private final float margin;
    private final TripletMiner miner;
    private final boolean squared;

    public TripletObjective(float margin, TripletMiner miner, boolean squared) {
        this.margin = margin;
        this.miner = miner;
        this.squared = squared;
    }

    @Override
    public ObjectiveLoss loss(NDArray embedding, NDArray headOutput, NDArray clean, int[] labels) {
        NDManager manager = embedding.getManager();
        NDArray x = Embeddings.normalised(embedding);
        NDArray d = squared ? Embeddings.squaredDistances(x) : Embeddings.distances(x);
        Triplets triplets = miner.mine(Embeddings.toMatrix(d), labels);
        if (triplets.size() == 0) {
            return new ObjectiveLoss(d.sum().mul(0), 0);
        }
        int size = labels.length;
        NDArray flat = d.flatten();
        NDArray positive = flat.take(Embeddings.flatIndices(manager, triplets.anchors(), triplets.positives(), size));
        NDArray negative = flat.take(Embeddings.flatIndices(manager, triplets.anchors(), triplets.negatives(), size));
        NDArray losses = positive.sub(negative).add(margin).maximum(0f);
        long active = losses.gt(0f).countNonzero().getLong();
        long divisor = miner == TripletMiner.BATCH_ALL ? Math.max(active, 1) : triplets.size();
        return new ObjectiveLoss(losses.sum().div(divisor), (double) active / triplets.size());
    }
}
