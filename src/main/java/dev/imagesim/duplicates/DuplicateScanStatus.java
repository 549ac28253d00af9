package dev.imagesim.duplicates;

import java.time.Instant;

/**
 * Where a collection's latest duplicate scan is.
 *
 * @param id          the scan's id
 * @param state       queued, running, succeeded, failed or cancelled
 * @param method      {@code embedding}, {@code hash} or {@code exact}
 * @param threshold   the largest distance that makes two images copies; for {@code embedding} without one
 *                    given, null until the calibration at the start of the run has set it
 * @param calibration how the default {@code embedding} threshold was set, when it was
 * @param images      images compared so far (all of them once it succeeded)
 * @param percent     how much of the comparing is done, 0–100
 * @param etaSeconds  estimated seconds to the end at the rate so far; null until it can be measured
 * @param groupCount     groups of two or more found, once it succeeded
 * @param duplicateCount images in those groups other than their representatives (the copies), once it
 *                       succeeded
 * @param error       why it failed or was cancelled
 */
public record DuplicateScanStatus(String id, String collection, String state, String method, Double threshold,
        CopyThreshold calibration, int images, double percent, Long etaSeconds, Integer groupCount,
        Integer duplicateCount,
        String error, Instant queuedAt, Instant startedAt, Instant finishedAt) {

    static DuplicateScanStatus queued(String id, String collection, DuplicateMethod method, Double threshold) {
        return new DuplicateScanStatus(id, collection, "queued", method.toString(), threshold, null, 0, 0, null, null,
                null, null, Instant.now(), null, null);
    }

    DuplicateScanStatus started() {
        return new DuplicateScanStatus(id, collection, "running", method, threshold, calibration, 0, 0, null, null,
                null, null, queuedAt, Instant.now(), null);
    }

    DuplicateScanStatus calibrated(CopyThreshold set) {
        return new DuplicateScanStatus(id, collection, state, method, set.threshold(), set, images, percent,
                etaSeconds, groupCount, duplicateCount, error, queuedAt, startedAt, finishedAt);
    }

    DuplicateScanStatus comparing(int compared, double donePercent, Long remainingSeconds) {
        return new DuplicateScanStatus(id, collection, state, method, threshold, calibration, compared, donePercent,
                remainingSeconds, groupCount, duplicateCount, error, queuedAt, startedAt, finishedAt);
    }

    DuplicateScanStatus succeeded(int compared, int groupCount, int copies) {
        return new DuplicateScanStatus(id, collection, "succeeded", method, threshold, calibration, compared, 100, 0L,
                groupCount, copies, null, queuedAt, startedAt, Instant.now());
    }

    DuplicateScanStatus ended(String endState, String why) {
        return new DuplicateScanStatus(id, collection, endState, method, threshold, calibration, images, percent,
                null, null, null, why, queuedAt, startedAt, Instant.now());
    }

    /** Queued or running. */
    public boolean active() {
        return finishedAt == null;
    }
}
