package dev.imagesim.evaluation;

import java.util.Arrays;

import dev.imagesim.model.VerificationMetrics;

/** Computes {@link VerificationMetrics} from the distances of labelled pairs. */
public final class VerificationEvaluator {

    private VerificationEvaluator() {
    }

    /**
     * @param positive          distances of same-class pairs
     * @param negative          distances of different-class pairs
     * @param targetFalseAccept the false-accept rate to calibrate the threshold for, in [0, 1)
     */
    public static VerificationMetrics evaluate(double[] positive, double[] negative, double targetFalseAccept) {
        if (positive.length == 0 || negative.length == 0) {
            throw new IllegalArgumentException("verification needs at least one positive and one negative pair");
        }
        if (!(targetFalseAccept >= 0 && targetFalseAccept < 1)) {
            throw new IllegalArgumentException("targetFalseAccept must be in [0, 1)");
        }
        double[] pos = positive.clone();
        double[] neg = negative.clone();
        Arrays.sort(pos);
        Arrays.sort(neg);
        double threshold = thresholdAt(neg, targetFalseAccept);
        return new VerificationMetrics(pos.length, neg.length, rocAuc(pos, neg), equalErrorRate(pos, neg),
                targetFalseAccept, threshold, fractionAtMost(neg, threshold), fractionAtMost(pos, threshold));
    }

    /** Mann–Whitney U over both sorted lists: counts (positive, negative) pairs ordered correctly. */
    static double rocAuc(double[] pos, double[] neg) {
        double correct = 0;
        int below = 0;
        int equalFrom = 0;
        for (double p : pos) {
            while (below < neg.length && neg[below] <= p) {
                below++;
            }
            while (equalFrom < neg.length && neg[equalFrom] < p) {
                equalFrom++;
            }
            int ties = below - equalFrom;
            correct += (neg.length - below) + 0.5 * ties;
        }
        return correct / ((double) pos.length * neg.length);
    }

    /** Sweeps every observed distance as a threshold and returns the mean of FAR and FRR where they meet. */
    static double equalErrorRate(double[] pos, double[] neg) {
        double best = Double.POSITIVE_INFINITY;
        double eer = 1;
        double[] candidates = new double[pos.length + neg.length + 1];
        System.arraycopy(pos, 0, candidates, 0, pos.length);
        System.arraycopy(neg, 0, candidates, pos.length, neg.length);
        candidates[candidates.length - 1] = Math.nextDown(Math.min(pos[0], neg[0]));
        for (double t : candidates) {
            double far = fractionAtMost(neg, t);
            double frr = 1 - fractionAtMost(pos, t);
            double gap = Math.abs(far - frr);
            if (gap < best) {
                best = gap;
                eer = (far + frr) / 2;
            }
        }
        return eer;
    }

    /** The largest threshold admitting at most {@code floor(target·n)} negatives. */
    static double thresholdAt(double[] neg, double target) {
        int allowed = (int) Math.floor(target * neg.length);
        return Math.nextDown(neg[allowed]);
    }

    /** Fraction of a sorted array at or below {@code t}. */
    static double fractionAtMost(double[] sorted, double t) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] <= t) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return (double) lo / sorted.length;
    }
}
