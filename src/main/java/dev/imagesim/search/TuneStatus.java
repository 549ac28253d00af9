package dev.imagesim.search;

import java.time.Instant;
import java.util.List;

/**
 * Where a collection's latest ef tuning is.
 *
 * @param state         queued, running, succeeded, failed or cancelled
 * @param phase         while running: {@code exact} (the sample's exact neighbours, one pass over the index)
 *                      or {@code sweep} (searching the sample at growing ef); null otherwise
 * @param goal          what was asked for, defaults filled in
 * @param sample        stored vectors used as queries
 * @param ef            the ef being measured during the sweep, null otherwise
 * @param searched      queries of the sample searched at that ef so far
 * @param percent       share of the longest sweep done, 0–100: the sweep's searches weighted by their ef, up
 *                      to {@code goal.maxEf}; it stops sooner, and jumps to 100, once the target is met
 * @param etaSeconds    estimated seconds left if the sweep runs to {@code goal.maxEf}, at the rate of its
 *                      searches so far; null until one query has been searched
 * @param sweep         the ef values measured so far, with their recall
 * @param result        what tuning found, once it succeeded
 * @param error         why it failed
 */
public record TuneStatus(String collection, String state, String phase, EfTuner.Goal goal, int sample, Integer ef,
        int searched, double percent, Long etaSeconds, List<EfTuner.Step> sweep, EfTuner.Result result,
        String error, Instant queuedAt, Instant startedAt, Instant finishedAt) {

    static TuneStatus queued(String collection, EfTuner.Goal goal, int sample) {
        return new TuneStatus(collection, "queued", null, goal, sample, null, 0, 0, null, List.of(), null, null,
                Instant.now(), null, null);
    }

    TuneStatus started() {
        return new TuneStatus(collection, "running", "exact", goal, sample, ef, searched, percent, etaSeconds,
                sweep, result, error, queuedAt, Instant.now(), finishedAt);
    }

    TuneStatus sweeping(int currentEf, int queries, List<EfTuner.Step> measured, double donePercent,
            Long remainingSeconds) {
        return new TuneStatus(collection, state, "sweep", goal, sample, currentEf, queries, donePercent,
                remainingSeconds, List.copyOf(measured), result, error, queuedAt, startedAt, finishedAt);
    }

    TuneStatus succeeded(EfTuner.Result found) {
        return new TuneStatus(collection, "succeeded", null, goal, sample, null, 0, 100, 0L, found.sweep(), found,
                null, queuedAt, startedAt, Instant.now());
    }

    TuneStatus ended(String endState, String why) {
        return new TuneStatus(collection, endState, null, goal, sample, null, 0, percent, null, sweep, null, why,
                queuedAt, startedAt, Instant.now());
    }

    /** Queued or running. */
    boolean active() {
        return finishedAt == null;
    }
}
