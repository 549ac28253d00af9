package dev.imagesim.model;

/**
 * How well a distance threshold separates same-class pairs from different-class pairs.
 *
 * @param positivePairs       same-class pairs evaluated
 * @param negativePairs       different-class pairs evaluated
 * @param rocAuc              probability that a random negative pair is farther apart than a random positive
 *                            pair (ties count half)
 * @param equalErrorRate      the error rate where false accepts and false rejects are (closest to) equal
 * @param targetFalseAccept   the false-accept rate the threshold was calibrated for
 * @param threshold           the largest distance threshold whose false-accept rate is at most the target;
 *                            a pair matches when its distance is ≤ threshold
 * @param falseAcceptRate     false-accept rate at that threshold
 * @param trueAcceptRate      true-accept rate (1 − false-reject rate) at that threshold
 */
public record VerificationMetrics(int positivePairs, int negativePairs, double rocAuc, double equalErrorRate,
        double targetFalseAccept, double threshold, double falseAcceptRate, double trueAcceptRate) {
}
