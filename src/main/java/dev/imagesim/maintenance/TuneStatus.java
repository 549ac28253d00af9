package dev.imagesim.maintenance;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a collection's latest ef tuning is.
 *
 * @param state      queued, running, succeeded, failed or cancelled
 * @param phase      while running: {@code exact} (the sample's exact neighbours, one pass over the stored
 *                   vectors) or {@code sweep} (searching the sample at growing ef); null otherwise
 * @param goal       what was asked for, defaults filled in
 * @param sample     stored vectors used as queries
 * @param scanned    stored vectors the exact pass has compared with every query so far (deleted ones
 *                   included, as they are passed over)
 * @param toScan     stored vectors the exact pass goes over; null until it starts
 * @param ef         the ef being measured during the sweep, null otherwise
 * @param searched   queries of the sample searched at that ef so far
 * @param percent    how much of the phase under way is done, 0–100: of the exact pass its vectors, of the
 *                   sweep its searches weighted by their ef, up to {@code goal.maxEf} (it stops sooner, and
 *                   jumps to 100, once the target is met)
 * @param etaSeconds estimated seconds to the end of the phase under way (of the sweep: if it runs to
 *                   {@code goal.maxEf}), at the phase's rate so far; null until it can be measured
 * @param sweep      the ef values measured so far, with their recall
 * @param result     what tuning found, once it succeeded
 * @param error      why it failed or was cancelled
 */
public record TuneStatus(String collection, String state, String phase, EfTuner.Goal goal, int sample, int scanned,
        Integer toScan, Integer ef, int searched, double percent, Long etaSeconds, List<EfTuner.Step> sweep,
        EfTuner.Result result, String error, Instant queuedAt, Instant startedAt, Instant finishedAt) {

    static TuneStatus queued(String collection, EfTuner.Goal goal, int sample) {
        return new TuneStatus(collection, "queued", null, goal, sample, 0, null, null, 0, 0, null, List.of(), null,
                null, Instant.now(), null, null);
    }

    TuneStatus started() {
        return new TuneStatus(collection, "running", "exact", goal, sample, 0, null, null, 0, 0, null, sweep,
                result, error, queuedAt, Instant.now(), finishedAt);
    }

    TuneStatus scanning(int vectors, int of, Long remainingSeconds) {
        return new TuneStatus(collection, state, "exact", goal, sample, vectors, of, null, 0, 100.0 * vectors / of,
                remainingSeconds, sweep, result, error, queuedAt, startedAt, finishedAt);
    }

    TuneStatus sweeping(int currentEf, int queries, double donePercent, Long remainingSeconds) {
        return new TuneStatus(collection, state, "sweep", goal, sample, scanned, toScan, currentEf, queries,
                donePercent, remainingSeconds, sweep, result, error, queuedAt, startedAt, finishedAt);
    }

    TuneStatus measured(EfTuner.Step step) {
        List<EfTuner.Step> steps = new ArrayList<>(sweep);
        steps.add(step);
        return new TuneStatus(collection, state, phase, goal, sample, scanned, toScan, ef, searched, percent,
                etaSeconds, List.copyOf(steps), result, error, queuedAt, startedAt, finishedAt);
    }

    TuneStatus succeeded(EfTuner.Result found) {
        return new TuneStatus(collection, "succeeded", null, goal, sample, scanned, toScan, null, 0, 100, 0L,
                found.sweep(), found, null, queuedAt, startedAt, Instant.now());
    }

    TuneStatus ended(String endState, String why) {
        return new TuneStatus(collection, endState, null, goal, sample, scanned, toScan, null, 0, percent, null,
                sweep, null, why, queuedAt, startedAt, Instant.now());
    }

    /** Queued or running. */
    public boolean active() {
        return finishedAt == null;
    }
}
