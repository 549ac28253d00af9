package dev.imagesim.duplicates;

import java.util.List;

/**
 * What a duplicate check found.
 *
 * @param method     {@code hash}, {@code exact} or {@code embedding}
 * @param threshold  the largest distance that counted: Hamming bits for {@code hash}, the collection's
 *                   distance for {@code embedding}, 0 for {@code exact}
 * @param calibration how the {@code embedding} threshold was set when none was given; null otherwise
 * @param duplicates  the stored images within it, nearest first
 */
public record DuplicateCheckResult(String method, double threshold, CopyThreshold calibration,
        List<DuplicateMatch> duplicates) {
}
