package dev.imagesim.evaluation;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import dev.imagesim.vector.Distance;

/**
 * Distances of same-class and different-class pairs drawn from a labelled set of embeddings. Every pair is
 * used when there are few; otherwise up to {@code maxPairs} of each kind are drawn with a fixed seed, so a
 * calibration is repeatable.
 *
 * @param positive distances of same-class pairs
 * @param negative distances of different-class pairs
 */
public record VerificationPairs(double[] positive, double[] negative) {

    public static VerificationPairs sample(float[][] embeddings, int[] labels, Distance distance, int maxPairs,
            long seed) {
        Map<Integer, List<Integer>> byClass = new HashMap<>();
        for (int i = 0; i < labels.length; i++) {
            byClass.computeIfAbsent(labels[i], l -> new ArrayList<>()).add(i);
        }
        long positiveCount = 0;
        for (List<Integer> members : byClass.values()) {
            positiveCount += (long) members.size() * (members.size() - 1) / 2;
        }
        long allPairs = (long) labels.length * (labels.length - 1) / 2;
        long negativeCount = allPairs - positiveCount;
        SplittableRandom random = new SplittableRandom(seed);
        double[] positive = positiveCount <= maxPairs
                ? allPairs(embeddings, labels, distance, true, (int) positiveCount)
                : drawn(embeddings, labels, distance, true, maxPairs, random);
        double[] negative = negativeCount <= maxPairs
                ? allPairs(embeddings, labels, distance, false, (int) negativeCount)
                : drawn(embeddings, labels, distance, false, maxPairs, random);
        return new VerificationPairs(positive, negative);
    }

    private static double[] allPairs(float[][] e, int[] labels, Distance distance, boolean same, int count) {
        double[] out = new double[count];
        int n = 0;
        for (int i = 0; i < e.length; i++) {
            for (int j = i + 1; j < e.length; j++) {
                if ((labels[i] == labels[j]) == same) {
                    out[n++] = distance.between(e[i], e[j]);
                }
            }
        }
        return out;
    }

    /** Rejection sampling; only called when pairs of the wanted kind outnumber {@code count}. */
    private static double[] drawn(float[][] e, int[] labels, Distance distance, boolean same, int count,
            SplittableRandom random) {
        double[] out = new double[count];
        int n = 0;
        while (n < count) {
            int i = random.nextInt(e.length);
            int j = random.nextInt(e.length);
            if (i != j && (labels[i] == labels[j]) == same) {
                out[n++] = distance.between(e[i], e[j]);
            }
        }
        return out;
    }
}
