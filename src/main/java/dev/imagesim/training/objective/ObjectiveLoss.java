package dev.imagesim.training.objective;

import ai.djl.ndarray.NDArray;

/**
 * A batch loss and, for pair and triplet objectives, the fraction of pairs or triplets that contributed
 * (a loss of zero teaches nothing; a falling active fraction shows the embedding separating classes).
 *
 * @param value          scalar loss to differentiate
 * @param activeFraction fraction of selected pairs/triplets with a positive loss, or NaN where not defined
 */
public record ObjectiveLoss(NDArray value, double activeFraction) {

    public static ObjectiveLoss of(NDArray value) {
        return new ObjectiveLoss(value, Double.NaN);
    }
}
