package dev.imagesim.catalog;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import tools.jackson.databind.JsonNode;

import dev.imagesim.ImagesimException;
import dev.imagesim.ImagesimException.Kind;
import dev.imagesim.index.VectorIndex;

/**
 * Collections and their images. The database is the source of truth: a write is acknowledged only after it
 * commits, and the collection's index applies it right after, in sequence order.
 */
@Service
public class Catalog {

    /** Code of the refusal of a vector made by a model the collection no longer uses. */
    public static final String MODEL_CHANGED = "model-changed";
    /** Rows a pass over a collection's vectors reads at a time. */
    private static final Logger log = LoggerFactory.getLogger(Catalog.class);
    private static final int VECTOR_PAGE = 1000;

    private final CollectionRepository collections;
    private final ImageRepository images;
    private final LabelRepository labels;
    private final CollectionIndexes indexes;
    private final BlobStore blobs;
    private final TransactionTemplate transactions;

    Catalog(CollectionRepository collections, ImageRepository images, LabelRepository labels,
            CollectionIndexes indexes, BlobStore blobs, TransactionTemplate transactions) {
        this.collections = collections;
        this.images = images;
        this.labels = labels;
        this.indexes = indexes;
        this.blobs = blobs;
        this.transactions = transactions;
    }

    public Collection createCollection(Collection collection) {
        Identifiers.requireCollectionName(collection.name());
        try {
            collections.insert(collection);
        } catch (DuplicateKeyException e) {
            throw new ImagesimException(Kind.CONFLICT, "collection-exists",
                    "a collection named '" + collection.name() + "' already exists");
        }
        indexes.create(collection);
        return collection;
    }

    public List<CollectionInfo> collections() {
        return collections.findAll().stream().map(this::info).toList();
    }

    public CollectionInfo collectionInfo(String name) {
        return info(collection(name));
    }

    public Collection collection(String name) {
        return collections.find(name).orElseThrow(() -> ImagesimException.notFound("collection-not-found",
                "no collection named '" + name + "'"));
    }

    public void deleteCollection(String name) {
        Collection collection = collection(name);
        LiveIndex live = indexes.get(collection.name());
        live.writeLock.lock();
        try {
            transactions.executeWithoutResult(status -> {
                labels.removeAll(name);
                collections.delete(name);
            });
            indexes.drop(name);
        } finally {
            live.writeLock.unlock();
        }
    }

    /**
     * Stores the image and its vector under {@code id}, replacing any earlier version. {@code modelId} names
     * the model that made the vector: when a re-index has switched the collection to another model since,
     * the write is refused with code {@code model-changed} and the caller embeds again. A null
     * {@code image} and {@code modelId} store a client's own vector in a vector collection (no blob).
     */
    public UpsertResult upsertImage(String collectionName, String id, StoredImage image, float[] vector,
            String metadataJson, String modelId) {
        Identifiers.requireImageId(id);
        LiveIndex live = live(collectionName);
        Collection current = live.generation().collection();
        if (Objects.equals(current.modelId(), modelId)) {
            // refuse before storing the blob; a model switch is caught below
            current.requireDimension(vector, "the vector");
        }
        String sha = image == null ? null : blobs.put(image.bytes());
        return write(live, modelId, List.of(new Write(id, image, sha, vector, metadataJson))).get(0);
    }

    /**
     * Stores a client's own vector under {@code id} in a vector collection (one created without a model),
     * replacing any earlier version; a collection that embeds images refuses it with 409.
     */
    public UpsertResult upsertVector(String collectionName, String id, float[] vector, String metadataJson) {
        return upsertVectors(collectionName, List.of(new VectorItem(id, vector, metadataJson))).get(0);
    }

    /**
     * Stores client vectors in a vector collection in one transaction, in order (a later write of the same id
     * replaces an earlier one); all are stored or, on any problem, none. Results are in the same order.
     */
    public List<UpsertResult> upsertVectors(String collectionName, List<VectorItem> writes) {
        LiveIndex live = live(collectionName);
        live.generation().collection().requireNoModel();
        if (writes.isEmpty()) {
            return List.of();
        }
        List<Write> stored = new ArrayList<>(writes.size());
        for (VectorItem write : writes) {
            Identifiers.requireImageId(write.id());
            stored.add(new Write(write.id(), null, null, write.vector(), write.metadataJson()));
        }
        return write(live, null, stored);
    }

    /**
     * Commits the writes in one transaction, with consecutive sequence numbers in their order, then applies
     * them to the index, all under the collection's write lock.
     */
    private List<UpsertResult> write(LiveIndex live, String modelId, List<Write> writes) {
        live.writeLock.lock();
        try {
            Collection collection = live.generation().collection();
            if (!Objects.equals(collection.modelId(), modelId)) {
                throw new ImagesimException(Kind.CONFLICT, MODEL_CHANGED, "collection '" + collection.name()
                        + "' now uses model " + collection.modelId() + "; the vector was made by " + modelId);
            }
            writes.forEach(write -> collection.requireDimension(write.vector(), "the vector of " + write.id()));
            Instant now = Instant.now();
            List<UpsertResult> results = transactions.execute(status -> {
                long first = reserveSequences(collection.name(), writes.size());
                List<UpsertResult> stored = new ArrayList<>(writes.size());
                for (int i = 0; i < writes.size(); i++) {
                    ImageRecord record = writes.get(i).record(collection, first + i, now);
                    stored.add(new UpsertResult(record, images.upsert(record)));
                }
                labels.replace(collection.name(), stored);
                return stored;
            });
            indexes.apply(live, results.stream().map(UpsertResult::record).toList());
            indexes.afterChange(collection.name(), live);
            return results;
        } finally {
            live.writeLock.unlock();
        }
    }

    /** One image or client vector to store; {@code image} and {@code sha} are null for a client vector. */
    private record Write(String id, StoredImage image, String sha, float[] vector, String metadataJson) {

        ImageRecord record(Collection collection, long sequence, Instant now) {
            return image == null
                    ? new ImageRecord(collection.name(), id, sequence, null, vector, metadataJson, null, null, null,
                            null, now, now, null)
                    : new ImageRecord(collection.name(), id, sequence, collection.modelId(), vector, metadataJson,
                            sha, image.contentType(), image.width(), image.height(), now, now, image.perceptualHash());
        }
    }

    /** Makes {@code ef} the collection's default search breadth, in the database and the live index. */
    public Collection setDefaultEf(String collectionName, int ef) {
        LiveIndex live = live(collectionName);
        live.writeLock.lock();
        try {
            LiveIndex.Generation generation = live.generation();
            Collection updated = generation.collection().withEf(ef);
            collections.updateEf(updated.name(), ef);
            live.replace(new LiveIndex.Generation(updated, generation.index()));
            return updated;
        } finally {
            live.writeLock.unlock();
        }
    }

    public ImageRecord image(String collectionName, String id) {
        Collection collection = collection(collectionName);
        return images.find(collection.name(), id).orElseThrow(() -> imageNotFound(collection.name(), id));
    }

    /** Up to {@code limit} live images after {@code afterId} (null: from the first) in id order. */
    public ImagePage images(String collectionName, String afterId, int limit) {
        Collection collection = collection(collectionName);
        List<ImageRecord> page = images.page(collection.name(), afterId == null ? "" : afterId, limit + 1);
        return page.size() > limit
                ? new ImagePage(page.subList(0, limit), page.get(limit - 1).id())
                : new ImagePage(page, null);
    }

    /** The live images of a collection whose original bytes are exactly these (by SHA-256). */
    public List<String> idsWithContent(String collectionName, byte[] bytes) {
        return images.idsWithBlob(collection(collectionName).name(), BlobStore.sha256(bytes));
    }

    /** Every live image's content and perceptual hashes (client vectors have none), in id order, a page at a time. */
    public void forEachHash(String collectionName, java.util.function.Consumer<ImageHash> consumer) {
        String name = collection(collectionName).name();
        forEachPage(after -> images.hashes(name, after, VECTOR_PAGE), ImageHash::id, consumer);
    }

    /** Every live image's id, vector and metadata, in id order, read a page at a time. */
    public void forEachVector(String collectionName, java.util.function.Consumer<VectorRow> consumer) {
        String name = collection(collectionName).name();
        forEachPage(after -> images.vectors(name, after, VECTOR_PAGE), VectorRow::id, consumer);
    }

    /** Pages of {@link #VECTOR_PAGE} rows in id order, each read after the last id of the one before. */
    private static <T> void forEachPage(java.util.function.Function<String, List<T>> pageAfter,
            java.util.function.Function<T, String> id, java.util.function.Consumer<T> consumer) {
        String after = "";
        while (true) {
            List<T> page = pageAfter.apply(after);
            page.forEach(consumer);
            if (page.size() < VECTOR_PAGE) {
                return;
            }
            after = id.apply(page.get(page.size() - 1));
        }
    }

    /**
     * The original bytes of a stored image; 404 {@code image-has-no-content} for a client's own vector, 503
     * {@code original-unreadable} when the blob store cannot give them.
     */
    public byte[] content(ImageRecord image) {
        if (image.blobSha256() == null) {
            throw ImagesimException.notFound("image-has-no-content", "image '" + image.id()
                    + "' is a vector stored by a client: it has no image bytes");
        }
        try {
            return blobs.get(image.blobSha256());
        } catch (java.io.IOException e) {
            throw new ImagesimException(Kind.UNAVAILABLE, "original-unreadable", "the original of image '"
                    + image.id() + "' cannot be read: " + e.getMessage(), e);
        }
    }

    public void deleteImage(String collectionName, String id) {
        Collection collection = collection(collectionName);
        LiveIndex live = indexes.get(collection.name());
        live.writeLock.lock();
        try {
            Long sequence = transactions.execute(status -> {
                if (!images.existsLive(collection.name(), id)) {
                    return null;
                }
                long next = reserveSequences(collection.name(), 1);
                images.markDeleted(collection.name(), id, next, Instant.now());
                labels.remove(collection.name(), id);
                return next;
            });
            if (sequence == null) {
                throw imageNotFound(collection.name(), id);
            }
            live.index().remove(id, sequence);
            live.applied(sequence);
            indexes.afterChange(collection.name(), live);
        } finally {
            live.writeLock.unlock();
        }
    }

    /**
     * The collection and its index as one consistent pair: the index holds vectors of exactly the
     * collection's model, even while a re-index swaps models. Safe to search while writes go on.
     */
    public SearchTarget searchTarget(String collectionName) {
        LiveIndex.Generation generation = live(collectionName).generation();
        return new SearchTarget(generation.collection(), generation.index());
    }

    /**
     * The starting point of a re-index: the applied sequence number, then every live image. Changes after
     * that sequence number are caught up by {@link #switchModel}.
     */
    public ReindexBase reindexBase(String collectionName) {
        LiveIndex live = live(collectionName);
        live.generation().collection().requireModel();
        long sequence = live.appliedSequence();
        return new ReindexBase(live.generation().collection(), sequence, images.originals(collectionName));
    }

    /**
     * Second half of a re-index: builds the new model's index from {@code vectors} (one per original of the
     * base), then, holding the write lock, re-embeds what changed since the base with {@code embed}, stores
     * every vector with the new model in one transaction and swaps collection and index in one step.
     * Searches go on against the old pair until the swap; writes wait for the final step.
     */
    public Collection switchModel(ReindexBase base, String modelId, int dimension, float[][] vectors,
            Function<List<StoredOriginal>, float[][]> embed) {
        String name = base.collection().name();
        Collection next = base.collection().withModel(modelId, dimension);
        VectorIndex index = VectorIndex.create(next.index(), next.distance(), dimension);
        Map<String, float[]> byId = new LinkedHashMap<>();
        for (int i = 0; i < vectors.length; i++) {
            StoredOriginal original = base.originals().get(i);
            index.upsert(original.id(), vectors[i], original.sequence());
            byId.put(original.id(), vectors[i]);
        }
        LiveIndex live = live(name);
        live.writeLock.lock();
        try {
            List<String> changed = new ArrayList<>();
            images.changesAfter(name, base.sequence(), change -> {
                if (change.vector() == null) {
                    index.remove(change.id(), change.sequence());
                    byId.remove(change.id());
                } else {
                    changed.add(change.id());
                }
            });
            List<StoredOriginal> late = images.originals(name, changed);
            float[][] lateVectors = late.isEmpty() ? new float[0][] : embed.apply(late);
            for (int i = 0; i < late.size(); i++) {
                index.upsert(late.get(i).id(), lateVectors[i], late.get(i).sequence());
                byId.put(late.get(i).id(), lateVectors[i]);
            }
            indexes.forgetSnapshot(name);
            transactions.executeWithoutResult(status -> {
                collections.updateModel(name, modelId, dimension);
                images.replaceVectors(name, new ArrayList<>(byId.keySet()), new ArrayList<>(byId.values()), modelId);
            });
            live.replace(new LiveIndex.Generation(next, index));
            indexes.snapshotNow(name, live);
            return next;
        } catch (java.io.IOException e) {
            throw new ImagesimException(Kind.UNAVAILABLE, "snapshot-unwritable",
                    "cannot remove the old index snapshot of '" + name + "': " + e.getMessage(), e);
        } finally {
            live.writeLock.unlock();
        }
    }

    private LiveIndex live(String collectionName) {
        return indexes.find(collectionName).orElseThrow(() -> ImagesimException.notFound("collection-not-found",
                "no collection named '" + collectionName + "'"));
    }

    /**
     * The live ids whose metadata has every (key, value) of {@code filter} (equal as JSON), when at most
     * {@code limit} do; empty when more may. The answer can hold a few ids that do not match (label hashes
     * collide), never miss one that does: check each against its metadata.
     */
    public Optional<List<String>> idsMatching(String collectionName, Map<String, JsonNode> filter, int limit) {
        return labels.idsWithAll(collectionName, MetadataLabels.of(filter), limit);
    }

    /** The metadata of those ids that are live, by id, for hydrating search results. */
    public Map<String, LiveMetadata> metadata(String collectionName, java.util.Collection<String> ids) {
        return images.metadata(collectionName, ids);
    }

    /**
     * Gives the images stored before the service kept perceptual hashes theirs: every live image with an
     * original and no hash, a page at a time, hashed by {@code hasher}. An original that cannot be read, or
     * that the hasher refuses (it throws), keeps none. Returns how many images got a hash.
     */
    public int backfillPerceptualHashes(java.util.function.ToLongFunction<byte[]> hasher) {
        int hashed = 0;
        String[] after = {"", ""};
        while (true) {
            List<String[]> page = images.unhashed(after[0], after[1], VECTOR_PAGE);
            for (String[] image : page) {
                try {
                    images.setPerceptualHash(image[0], image[1], image[2], hasher.applyAsLong(blobs.get(image[2])));
                    hashed++;
                } catch (java.io.IOException | RuntimeException e) {
                    log.warn("image {} of collection {} keeps no perceptual hash: {}", image[1], image[0],
                            e.getMessage());
                }
            }
            if (page.size() < VECTOR_PAGE) {
                return hashed;
            }
            after = page.get(page.size() - 1);
        }
    }

    /** The stored vectors of those ids that are live, by id. */
    public Map<String, float[]> vectors(String collectionName, java.util.Collection<String> ids) {
        return images.vectors(collectionName, ids);
    }

    /** The originals of every live image of a collection, by id. */
    public List<StoredOriginal> originals(String collectionName) {
        return images.originals(collection(collectionName).name());
    }

    /** The original bytes of a stored image. */
    public byte[] originalBytes(StoredOriginal original) throws java.io.IOException {
        return blobs.get(original.blobSha256());
    }

    /** Takes {@code count} sequence numbers in the current transaction; returns the first. */
    private long reserveSequences(String collection, int count) {
        return collections.reserveSequences(collection, count).orElseThrow(() -> ImagesimException.notFound(
                "collection-not-found", "collection '" + collection + "' was deleted"));
    }

    private CollectionInfo info(Collection collection) {
        return new CollectionInfo(collection, indexes.get(collection.name()).index().size());
    }

    private static ImagesimException imageNotFound(String collection, String id) {
        return ImagesimException.notFound("image-not-found",
                "no image '" + id + "' in collection '" + collection + "'");
    }
}
