package dev.imagesim.training.objective;

/**
 * Triplets chosen by a miner, as parallel arrays of batch positions: anchor, positive (same class),
 * negative (other class).
 */
public record Triplets(int[] anchors, int[] positives, int[] negatives) {

    public int size() {
        return anchors.length;
    }
}
