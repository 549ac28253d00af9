package dev.imagesim.ingest;

import java.time.Instant;

/**
 * Progress of a collection's re-index.
 *
 * @param state      running, succeeded or failed
 * @param fromModel  the model the collection used before
 * @param toModel    the model it is being moved to
 * @param total      images to embed (those live when the re-index started; later changes are caught up at
 *                   the swap)
 * @param embedded   images embedded so far
 * @param error      why it failed; the collection then still uses {@code fromModel}
 */
public record ReindexStatus(String collection, String state, String fromModel, String toModel, int total,
        int embedded, String error, Instant startedAt, Instant finishedAt) {

    ReindexStatus progressed(int done) {
        return new ReindexStatus(collection, state, fromModel, toModel, total, done, error, startedAt, finishedAt);
    }

    ReindexStatus finished(String newState, String failure) {
        return new ReindexStatus(collection, newState, fromModel, toModel, total, embedded, failure, startedAt,
                Instant.now());
    }

    boolean running() {
        return state.equals("running");
    }
}
