package dev.imagesim.maintenance;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Service;

import dev.imagesim.DaemonThreads;
import dev.imagesim.ImagesimException;
import dev.imagesim.ImagesimException.Kind;
import dev.imagesim.catalog.Catalog;
import dev.imagesim.catalog.Collection;

/**
 * Runs ef tunings ({@link EfTuner}) in the background, one at a time on one thread (tuning keeps a core
 * busy; the others serve requests), at most one per collection queued or running. Each collection's latest
 * tuning is kept in memory with its progress: one cut short by a restart did not happen, and an ef it had
 * not yet applied is not applied.
 */
@Service
public class EfTunings implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(EfTunings.class);

    private final EfTuner tuner;
    private final Catalog catalog;
    private final Map<String, Entry> latest = new ConcurrentHashMap<>();
    private final ExecutorService worker = DaemonThreads.single("ef-tuning");

    public EfTunings(EfTuner tuner, Catalog catalog) {
        this.tuner = tuner;
        this.catalog = catalog;
    }

    /**
     * Checks the goal and queues the tuning (every refusal happens here), then waits up to {@code wait} for
     * it to end. Answers its status then: finished, or still queued or running. 409 {@code tune-running}
     * while another tuning of the collection is queued or running.
     */
    public TuneStatus start(String collectionName, EfTuner.Goal goal, Duration wait) {
        EfTuner.Tuning tuning = tuner.prepare(collectionName, goal);
        Entry entry = new Entry(tuning);
        latest.compute(tuning.name(), (name, previous) -> {
            if (previous != null && previous.of(tuning.collection()) && previous.status.active()) {
                throw new ImagesimException(Kind.CONFLICT, "tune-running", "collection '" + name
                        + "' is already being tuned; follow it with GET or cancel it with DELETE");
            }
            return entry;
        });
        worker.execute(() -> run(entry));
        return entry.await(wait);
    }

    /**
     * The collection's latest tuning; 404 {@code tune-not-found} when it has not been tuned since start-up
     * (a collection deleted and created again under the same name starts afresh).
     */
    public TuneStatus status(String collectionName) {
        return entry(collectionName).status;
    }

    /**
     * Cancels the collection's tuning: a queued one at once, a running one within one query's search or
     * 1,024 vectors of the exact pass; nothing is applied. 409 {@code tune-finished} when it has already ended.
     */
    public TuneStatus cancel(String collectionName) {
        return entry(collectionName).cancel();
    }

    private Entry entry(String collectionName) {
        Collection collection = catalog.searchTarget(collectionName).collection();
        Entry entry = latest.get(collection.name());
        if (entry == null || !entry.of(collection)) {
            throw ImagesimException.notFound("tune-not-found",
                    "collection '" + collection.name() + "' has not been tuned since the service started");
        }
        return entry;
    }

    private void run(Entry entry) {
        if (!entry.begin()) {
            return;
        }
        String name = entry.tuning.name();
        try {
            EfTuner.Result result = tuner.run(entry.tuning, entry);
            entry.end(entry.status.succeeded(result));
        } catch (CancellationException e) {
            log.info("ef tuning of collection {} cancelled", name);
            entry.end(entry.status.ended("cancelled", e.getMessage()));
        } catch (RuntimeException e) {
            log.error("ef tuning of collection {} failed", name, e);
            entry.end(entry.status.ended("failed", e.getMessage()));
        }
    }

    @Override
    public void destroy() {
        latest.values().forEach(entry -> entry.cancelRequested.set(true));
        worker.shutdownNow();
    }

    /**
     * One tuning: its status as it changes, how it is asked to stop, and the moment it ends. Percent and ETA
     * are the phase's: of the exact pass its vectors, of the sweep its searches weighted by their ef, the
     * rough shape of their cost.
     */
    private static final class Entry implements EfTuner.Listener {

        private final EfTuner.Tuning tuning;
        private final long totalWork;
        private final AtomicBoolean cancelRequested = new AtomicBoolean();
        private final CompletableFuture<TuneStatus> ended = new CompletableFuture<>();
        private volatile TuneStatus status;
        private long runStartNanos;
        private long sweepStartNanos;

        Entry(EfTuner.Tuning tuning) {
            this.tuning = tuning;
            this.totalWork = (long) tuning.sampleSize() * tuning.efs().stream().mapToLong(Integer::longValue).sum();
            this.status = TuneStatus.queued(tuning.name(), tuning.goal(), tuning.sampleSize());
        }

        /** Whether this tuning is of {@code collection}, and not of one deleted before it under its name. */
        boolean of(Collection collection) {
            return tuning.collection().createdAt().equals(collection.createdAt());
        }

        /** Marks it running; false when it was cancelled while queued. */
        synchronized boolean begin() {
            if (!status.active()) {
                return false;
            }
            status = status.started();
            runStartNanos = System.nanoTime();
            return true;
        }

        synchronized TuneStatus cancel() {
            if (!status.active()) {
                throw new ImagesimException(Kind.CONFLICT, "tune-finished", "the tuning of collection '"
                        + status.collection() + "' has already ended: " + status.state());
            }
            cancelRequested.set(true);
            if (status.state().equals("queued")) {
                end(status.ended("cancelled", "cancelled before it started"));
            }
            return status;
        }

        synchronized void end(TuneStatus last) {
            status = last;
            ended.complete(last);
        }

        TuneStatus await(Duration wait) {
            try {
                return ended.get(wait.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                return status;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return status;
            } catch (ExecutionException e) {
                throw new IllegalStateException("a tuning's end is never exceptional", e);
            }
        }

        @Override
        public synchronized void scanned(int scanned, int nodes) {
            double seconds = (System.nanoTime() - runStartNanos) / 1e9;
            status = status.scanning(scanned, nodes,
                    scanned == 0 ? null : Math.round((nodes - scanned) * seconds / scanned));
        }

        @Override
        public synchronized void sweepStarted() {
            sweepStartNanos = System.nanoTime();
            status = status.sweeping(tuning.efs().get(0), 0, 0, null);
        }

        @Override
        public synchronized void searched(int ef, int queries) {
            long done = (long) tuning.sampleSize() * status.sweep().stream().mapToLong(EfTuner.Step::ef).sum()
                    + (long) ef * queries;
            double secondsPerWork = (System.nanoTime() - sweepStartNanos) / 1e9 / done;
            status = status.sweeping(ef, queries, 100.0 * done / totalWork,
                    Math.round((totalWork - done) * secondsPerWork));
        }

        @Override
        public synchronized void stepDone(EfTuner.Step step) {
            status = status.measured(step);
        }

        @Override
        public boolean cancelled() {
            return cancelRequested.get();
        }
    }
}
