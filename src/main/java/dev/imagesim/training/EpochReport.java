package dev.imagesim.training;

import dev.imagesim.evaluation.RetrievalMetrics;

/**
 * The outcome of one epoch.
 *
 * @param loss           mean training loss over the epoch
 * @param activeFraction mean share of active pairs/triplets, null where the objective has none
 * @param seenClasses    retrieval among validation images of training classes, null without a validation split
 * @param heldOutClasses retrieval among held-out classes, null without held-out classes
 * @param seconds        wall time of the epoch's training iterations
 */
public record EpochReport(int epoch, double loss, Double activeFraction, RetrievalMetrics seenClasses,
        RetrievalMetrics heldOutClasses, double seconds) {
}
