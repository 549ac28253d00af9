package dev.imagesim.training;

/**
 * Where a running job is.
 *
 * @param percent          share of all training iterations done, 0–100
 * @param epoch            the epoch under way (1-based), or the last one finished
 * @param iteration        iterations done in this epoch
 * @param loss             mean loss over the iterations of this epoch so far
 * @param activeFraction   for pair and triplet losses, the mean share of pairs/triplets with a positive loss
 * @param samplesPerSecond training throughput over this run's iterations (evaluations not counted)
 * @param etaSeconds       estimated seconds to the end of training (evaluations counted), null until measurable
 */
public record TrainingProgress(double percent, int epoch, int epochs, int iteration, int iterationsPerEpoch,
        Double loss, Double activeFraction, double samplesPerSecond, Long etaSeconds) {
}
