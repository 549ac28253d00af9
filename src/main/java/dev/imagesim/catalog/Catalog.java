package dev.imagesim.catalog;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import dev.imagesim.ImagesimException;
import dev.imagesim.ImagesimException.Kind;
import dev.imagesim.index.VectorIndex;

/**
 * Collections and their images. The database is the source of truth: a write is acknowledged only after it
 * commits, and the collection's index applies it right after, in sequence order.
 */
@Service
public class Catalog {

    private final CollectionRepository collections;
    private final ImageRepository images;
    private final CollectionIndexes indexes;
    private final BlobStore blobs;
    private final TransactionTemplate transactions;

    Catalog(CollectionRepository collections, ImageRepository images, CollectionIndexes indexes, BlobStore blobs,
            TransactionTemplate transactions) {
        this.collections = collections;
        this.images = images;
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
            transactions.executeWithoutResult(status -> collections.delete(name));
            indexes.drop(name);
        } finally {
            live.writeLock.unlock();
        }
    }

    /** Stores the image and its vector under {@code id}, replacing any earlier version. */
    public UpsertResult upsertImage(String collectionName, String id, StoredImage image, float[] vector,
            String metadataJson) {
        Identifiers.requireImageId(id);
        Collection collection = collection(collectionName);
        requireDimension(collection, vector);
        String sha = blobs.put(image.bytes());
        LiveIndex live = indexes.get(collection.name());
        live.writeLock.lock();
        try {
            Instant now = Instant.now();
            UpsertResult result = transactions.execute(status -> {
                long sequence = nextSequence(collection.name());
                ImageRecord record = new ImageRecord(collection.name(), id, sequence, collection.modelId(), vector,
                        metadataJson, sha, image.contentType(), image.width(), image.height(), now, now);
                return new UpsertResult(record, images.upsert(record));
            });
            live.index.upsert(id, vector, result.record().sequence());
            live.applied(result.record().sequence());
            indexes.afterChange(collection.name(), live);
            return result;
        } finally {
            live.writeLock.unlock();
        }
    }

    public ImageRecord image(String collectionName, String id) {
        Collection collection = collection(collectionName);
        return images.find(collection.name(), id).orElseThrow(() -> imageNotFound(collection.name(), id));
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
                long next = nextSequence(collection.name());
                images.markDeleted(collection.name(), id, next, Instant.now());
                return next;
            });
            if (sequence == null) {
                throw imageNotFound(collection.name(), id);
            }
            live.index.remove(id, sequence);
            live.applied(sequence);
            indexes.afterChange(collection.name(), live);
        } finally {
            live.writeLock.unlock();
        }
    }

    /** The index to search; safe to use while writes go on. */
    public VectorIndex index(String collectionName) {
        return indexes.find(collectionName).orElseThrow(() -> ImagesimException.notFound("collection-not-found",
                "no collection named '" + collectionName + "'")).index;
    }

    /** Metadata JSON of those ids that are live, for hydrating search results. */
    public Map<String, String> metadata(String collectionName, java.util.Collection<String> ids) {
        return images.metadata(collectionName, ids);
    }

    /** The originals of every live image of a collection, by id. */
    public List<StoredOriginal> originals(String collectionName) {
        return images.originals(collection(collectionName).name());
    }

    /** The original bytes of a stored image. */
    public byte[] originalBytes(StoredOriginal original) throws java.io.IOException {
        return blobs.get(original.blobSha256());
    }

    private long nextSequence(String collection) {
        return collections.nextSequence(collection).orElseThrow(() -> ImagesimException.notFound(
                "collection-not-found", "collection '" + collection + "' was deleted"));
    }

    private CollectionInfo info(Collection collection) {
        return new CollectionInfo(collection, indexes.get(collection.name()).index.size());
    }

    private static void requireDimension(Collection collection, float[] vector) {
        if (vector.length != collection.dimension()) {
            throw ImagesimException.invalid("dimension-mismatch", "the vector has " + vector.length
                    + " dimensions; collection '" + collection.name() + "' holds " + collection.dimension());
        }
    }

    private static ImagesimException imageNotFound(String collection, String id) {
        return ImagesimException.notFound("image-not-found",
                "no image '" + id + "' in collection '" + collection + "'");
    }
}
