package dev.imagesim.duplicates;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
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
 * Runs near-duplicate scans of whole collections in the background, one at a time on one thread, at most one
 * per collection queued or running. The latest scan of each collection and its groups are kept in the
 * database, so a finished scan outlives a restart; one that a restart cut short is marked failed, saying so.
 */
@Service
public class DuplicateScans implements DisposableBean {

    /** A page of a scan's groups, and the rank the next page starts at (null on the last). */
    public record Page(DuplicateScanStatus scan, List<DuplicateGroup> groups, Integer next) {
    }

    static final String RESTARTED = "the service stopped before the scan finished; start it again";
    private static final Logger log = LoggerFactory.getLogger(DuplicateScans.class);
    private static final long WRITE_EVERY_NANOS = 500_000_000L;

    private final DuplicateScanner scanner;
    private final CopyCalibration calibration;
    private final DuplicateScanRepository repository;
    private final Catalog catalog;
    private final Map<String, Run> running = new ConcurrentHashMap<>();
    private final ExecutorService worker = DaemonThreads.single("duplicate-scan");
    private volatile boolean stopping;

    DuplicateScans(DuplicateScanner scanner, CopyCalibration calibration, DuplicateScanRepository repository,
            Catalog catalog) {
        this.scanner = scanner;
        this.calibration = calibration;
        this.repository = repository;
        this.catalog = catalog;
        int failed = repository.failUnfinished(Instant.now(), RESTARTED);
        if (failed > 0) {
            log.warn("{} duplicate scan(s) were unfinished when the service last stopped; they are marked failed",
                    failed);
        }
    }

    /**
     * Checks the request and queues the scan (every refusal happens here): 400 {@code method-unknown},
     * {@code threshold-out-of-range}, {@code threshold-required} (an {@code embedding} scan of a collection of
     * the client's own vectors, which has no model to calibrate with); 409 {@code scan-running}.
     */
    public synchronized DuplicateScanStatus start(String collectionName, String methodName, Double threshold) {
        Collection collection = catalog.collection(collectionName);
        DuplicateMethod method = DuplicateMethod.parse(methodName, DuplicateMethod.EMBEDDING);
        Double checked = method.checked(threshold);
        if (method == DuplicateMethod.EMBEDDING && checked == null) {
            calibration.requireCalibratable(collection);
        }
        repository.find(collection.name()).filter(DuplicateScanStatus::active).ifPresent(scan -> {
            throw new ImagesimException(Kind.CONFLICT, "scan-running", "a duplicate scan of collection '"
                    + collection.name() + "' is " + scan.state() + "; follow it with GET or cancel it with DELETE");
        });
        Run run = new Run(DuplicateScanStatus.queued(UUID.randomUUID().toString(), collection.name(), method,
                checked), method);
        repository.replace(run.status);
        running.put(collection.name(), run);
        worker.execute(() -> execute(run));
        return run.status;
    }

    /**
     * The collection's latest scan and, once it succeeded, up to {@code limit} of its groups from rank
     * {@code from}; 404 {@code scan-not-found} when the collection has never been scanned.
     */
    public Page latest(String collectionName, int from, int limit) {
        DuplicateScanStatus scan = find(collectionName);
        if (!"succeeded".equals(scan.state())) {
            return new Page(scan, List.of(), null);
        }
        List<DuplicateGroup> groups = repository.groups(scan.id(), from, limit + 1);
        return groups.size() > limit
                ? new Page(scan, groups.subList(0, limit), from + limit)
                : new Page(scan, groups, null);
    }

    /**
     * Cancels the collection's scan: a queued one at once, a running one within a page of vectors or a
     * round of hash comparisons. 409 {@code scan-finished} when it has ended.
     */
    public DuplicateScanStatus cancel(String collectionName) {
        DuplicateScanStatus scan = find(collectionName);
        Run run = running.get(scan.collection());
        if (!scan.active() || run == null || !run.status.id().equals(scan.id())) {
            throw new ImagesimException(Kind.CONFLICT, "scan-finished", "the duplicate scan of collection '"
                    + scan.collection() + "' has already ended: " + scan.state());
        }
        return run.cancel(repository);
    }

    private DuplicateScanStatus find(String collectionName) {
        Collection collection = catalog.collection(collectionName);
        return repository.find(collection.name()).orElseThrow(() -> ImagesimException.notFound("scan-not-found",
                "collection '" + collection.name() + "' has not been scanned for duplicates; POST to start a scan"));
    }

    private void execute(Run run) {
        String name = run.status.collection();
        try {
            if (!run.begin(repository)) {
                return;
            }
            if (run.status.threshold() == null) {
                run.set(run.status.calibrated(calibration.calibrate(name, run.cancelled::get)), repository);
            }
            DuplicateScanner.Found found = scanner.scan(name, run.method, run.status.threshold(),
                    (done, total) -> run.advanced(done, total, repository));
            run.requireNotCancelled();
            repository.saveGroups(run.status, found.groups());
            int copies = found.groups().stream().mapToInt(group -> group.members().size() - 1).sum();
            run.set(run.status.succeeded(found.images(), found.groups().size(), copies), repository);
            log.info("duplicate scan of collection {} by {}: {} images, {} groups, {} copies", name, run.method,
                    found.images(), found.groups().size(), copies);
        } catch (CancellationException e) {
            run.set(stopping ? run.status.ended("failed", RESTARTED) : run.status.ended("cancelled", "cancelled"),
                    repository);
        } catch (RuntimeException e) {
            log.error("duplicate scan of collection {} failed", name, e);
            run.set(run.status.ended("failed", e.getMessage()), repository);
        } finally {
            running.remove(name, run);
        }
    }

    @Override
    public void destroy() {
        stopping = true;
        running.values().forEach(run -> run.cancelled.set(true));
        worker.shutdownNow();
    }

    /** One scan on its way: its status as it changes (written at most twice a second) and its cancel flag. */
    private static final class Run {

        private final DuplicateMethod method;
        private final AtomicBoolean cancelled = new AtomicBoolean();
        private volatile DuplicateScanStatus status;
        private long startNanos;
        private long writtenNanos;

        Run(DuplicateScanStatus status, DuplicateMethod method) {
            this.status = status;
            this.method = method;
        }

        /** Marks it running; false when it was cancelled while queued. */
        synchronized boolean begin(DuplicateScanRepository repository) {
            if (!status.active()) {
                return false;
            }
            startNanos = System.nanoTime();
            set(status.started(), repository);
            return true;
        }

        synchronized DuplicateScanStatus cancel(DuplicateScanRepository repository) {
            cancelled.set(true);
            if (status.state().equals("queued")) {
                set(status.ended("cancelled", "cancelled before it started"), repository);
            }
            return status;
        }

        synchronized void set(DuplicateScanStatus next, DuplicateScanRepository repository) {
            status = next;
            writtenNanos = System.nanoTime();
            repository.update(next);
        }

        void advanced(long done, long total, DuplicateScanRepository repository) {
            requireNotCancelled();
            long now = System.nanoTime();
            if (now - writtenNanos < WRITE_EVERY_NANOS || done == 0) {
                return;
            }
            double seconds = (now - startNanos) / 1e9;
            int images = method == DuplicateMethod.EMBEDDING ? (int) done : status.images();
            set(status.comparing(images, 100.0 * done / total, Math.round((total - done) * seconds / done)),
                    repository);
        }

        void requireNotCancelled() {
            if (cancelled.get()) {
                throw new CancellationException("cancelled");
            }
        }
    }
}
