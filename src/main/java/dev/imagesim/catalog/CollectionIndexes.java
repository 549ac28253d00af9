package dev.imagesim.catalog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ForkJoinPool;

import jakarta.annotation.PreDestroy;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.MeterRegistry;

import dev.imagesim.DataDirectory;
import dev.imagesim.index.VectorIndex;
import dev.imagesim.index.IndexProperties;
import dev.imagesim.index.IndexSnapshot;

/**
 * The live index of every collection. At start each one is loaded from its snapshot and brought up to date
 * by replaying the catalog rows newer than the snapshot; a missing, damaged or mismatched snapshot means a
 * rebuild from the catalog. Snapshots are written after a number of changes, on a timer, and at shutdown.
 */
@Component
class CollectionIndexes {

    private static final Logger log = LoggerFactory.getLogger(CollectionIndexes.class);
    /** From this many writes committed together on, several threads insert them into the index. */
    private static final int PARALLEL_WRITES = 64;

    private final Map<String, LiveIndex> indexes = new ConcurrentHashMap<>();
    private final Path directory;
    private final ImageRepository images;
    private final IndexProperties properties;
    private final IndexMetrics metrics;
    private final ForkJoinPool inserters = new ForkJoinPool(Runtime.getRuntime().availableProcessors());

    CollectionIndexes(DataDirectory dataDirectory, CollectionRepository collections, ImageRepository images,
            IndexProperties properties, MeterRegistry meters) {
        this.directory = dataDirectory.subdirectory("indexes");
        this.images = images;
        this.properties = properties;
        this.metrics = new IndexMetrics(meters, name -> find(name).map(live -> live.index().size()).orElse(0));
        for (Collection collection : collections.findAll()) {
            indexes.put(collection.name(), load(collection));
            metrics.track(collection.name());
        }
    }

    LiveIndex get(String collection) {
        return find(collection).orElseThrow(
                () -> new IllegalStateException("no live index for collection " + collection));
    }

    Optional<LiveIndex> find(String collection) {
        return Optional.ofNullable(indexes.get(collection));
    }

    /** Starts an empty index for a new collection, discarding any snapshot left by an earlier namesake. */
    void create(Collection collection) {
        deleteSnapshot(collection.name());
        indexes.put(collection.name(), new LiveIndex(collection,
                VectorIndex.create(collection.index(), collection.distance(), collection.dimension()), 0));
        metrics.track(collection.name());
    }

    void drop(String collection) {
        indexes.remove(collection);
        metrics.untrack(collection);
        deleteSnapshot(collection);
    }

    /**
     * Applies committed writes to the collection's index and records them as applied; call with the write
     * lock held, then {@link #afterChange}. A large batch is inserted by one thread per core: each record's
     * sequence number is its version in the index, so the latest write of an id wins whatever the order.
     */
    void apply(LiveIndex live, List<ImageRecord> records) {
        VectorIndex index = live.index();
        if (records.size() < PARALLEL_WRITES) {
            records.forEach(record -> index.upsert(record.id(), record.vector(), record.sequence()));
        } else {
            inserters.submit(() -> records.parallelStream()
                    .forEach(record -> index.upsert(record.id(), record.vector(), record.sequence()))).join();
        }
        records.forEach(record -> live.applied(record.sequence()));
    }

    /**
     * Call after applying a change with the write lock held: snapshots when enough changes piled up (a number,
     * and for a large index a fraction of its size, so that snapshots do not eat batch ingest), unless
     * the last snapshot failed (a full or unwritable disk), in which case the timer retries.
     */
    void afterChange(String collection, LiveIndex live) {
        if (live.changesSinceSnapshot() >= properties.snapshotAfter(live.index().size()) && !live.snapshotFailing()) {
            snapshot(collection, live);
        }
    }

    @Scheduled(fixedDelayString = "${imagesim.index.snapshot-interval-seconds:60}", timeUnit = java.util.concurrent.TimeUnit.SECONDS)
    void snapshotChanged() {
        indexes.forEach((name, live) -> {
            if (live.changesSinceSnapshot() > 0) {
                live.writeLock.lock();
                try {
                    snapshot(name, live);
                } finally {
                    live.writeLock.unlock();
                }
            }
        });
    }

    @PreDestroy
    void snapshotAtShutdown() {
        inserters.shutdown();
        snapshotChanged();
    }

    /**
     * Removes a collection's snapshot before its vectors change model: until the next snapshot a restart
     * rebuilds from the catalog, whichever side of the swap the crash fell on.
     */
    void forgetSnapshot(String collection) throws IOException {
        Files.deleteIfExists(snapshotFile(collection));
    }

    /** Writes a snapshot now; call with the write lock held. */
    void snapshotNow(String collection, LiveIndex live) {
        snapshot(collection, live);
    }

    private void snapshot(String collection, LiveIndex live) {
        if (!indexes.containsKey(collection)) {
            return;
        }
        try {
            IndexSnapshot.write(snapshotFile(collection), live.index(), live.appliedSequence());
            live.snapshotted();
        } catch (IOException e) {
            // The catalog still holds every change; the next start replays from the previous snapshot, which
            // the failed write left untouched.
            live.snapshotFailed();
            log.error("cannot write the index snapshot of collection {} (the previous one stays; retrying on the "
                    + "snapshot timer): {}", collection, e.toString());
        }
    }

    private LiveIndex load(Collection collection) {
        Path file = snapshotFile(collection.name());
        VectorIndex index = null;
        long sequence = 0;
        if (Files.exists(file)) {
            try {
                IndexSnapshot snapshot = IndexSnapshot.read(file);
                if (matches(snapshot.index(), collection)) {
                    index = snapshot.index();
                    sequence = snapshot.sequence();
                } else {
                    log.warn("index snapshot of collection {} does not match its settings; rebuilding", collection.name());
                }
            } catch (IOException | RuntimeException e) {
                log.warn("index snapshot of collection {} is damaged ({}); rebuilding from the catalog",
                        collection.name(), e.toString());
            }
        }
        if (index == null) {
            index = VectorIndex.create(collection.index(), collection.distance(), collection.dimension());
            sequence = 0;
        }
        LiveIndex live = new LiveIndex(collection, index, sequence);
        long[] replayed = {0};
        VectorIndex target = index;
        images.changesAfter(collection.name(), sequence, change -> {
            if (change.vector() == null) {
                target.remove(change.id(), change.sequence());
            } else {
                target.upsert(change.id(), change.vector(), change.sequence());
            }
            live.applied(change.sequence());
            replayed[0]++;
        });
        log.info("collection {}: index of {} vectors loaded from sequence {}, {} newer changes replayed",
                collection.name(), index.size(), sequence, replayed[0]);
        return live;
    }

    private static boolean matches(VectorIndex index, Collection collection) {
        return index.dimension() == collection.dimension()
                && index.distance() == collection.distance()
                && index.parameters().buildsSameIndexAs(collection.index());
    }

    private Path snapshotFile(String collection) {
        return directory.resolve(collection + ".snapshot");
    }

    private void deleteSnapshot(String collection) {
        try {
            Files.deleteIfExists(snapshotFile(collection));
        } catch (IOException e) {
            log.warn("cannot delete the index snapshot of collection {}: {}", collection, e.toString());
        }
    }
}
