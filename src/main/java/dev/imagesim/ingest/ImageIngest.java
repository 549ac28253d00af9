package dev.imagesim.ingest;

import java.util.ArrayList;
import java.util.List;

import org.springframework.stereotype.Service;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import dev.imagesim.ImagesimException;
import dev.imagesim.catalog.Catalog;
import dev.imagesim.catalog.Collection;
import dev.imagesim.catalog.Identifiers;
import dev.imagesim.catalog.StoredImage;
import dev.imagesim.catalog.UpsertResult;
import dev.imagesim.catalog.VectorItem;
import dev.imagesim.duplicates.DuplicateCheck;
import dev.imagesim.duplicates.PerceptualHash;
import dev.imagesim.embedding.DecodedImage;
import dev.imagesim.embedding.EmbeddingModel;
import dev.imagesim.embedding.EmbeddingModels;
import dev.imagesim.embedding.ImageDecoder;
import dev.imagesim.embedding.EmbeddingProperties;
import dev.imagesim.vector.VectorChecks;

/** Adds images to a collection: decode, embed with the collection's model, store. */
@Service
public class ImageIngest {

    private final Catalog catalog;
    private final EmbeddingModels models;
    private final ImageDecoder decoder;
    private final int batchSize;
    private final Timer singleTimer;
    private final Timer batchTimer;
    private final MeterRegistry meters;
    private final DuplicateCheck duplicates;

    public ImageIngest(Catalog catalog, EmbeddingModels models, ImageDecoder decoder, EmbeddingProperties properties,
            MeterRegistry meters, DuplicateCheck duplicates) {
        this.catalog = catalog;
        this.duplicates = duplicates;
        this.models = models;
        this.decoder = decoder;
        this.batchSize = properties.batchSize();
        this.meters = meters;
        this.singleTimer = Timer.builder("imagesim.ingest").description("time to store images")
                .tag("request", "single").register(meters);
        this.batchTimer = Timer.builder("imagesim.ingest").description("time to store images")
                .tag("request", "batch").register(meters);
    }

    /**
     * Stores one image; any problem is thrown and nothing is stored. With {@code ifNoDuplicate}, a copy of an
     * image the collection holds under another id is refused (409 {@code duplicate-exists}).
     */
    public UpsertResult put(String collectionName, String id, byte[] bytes, String metadataJson,
            boolean ifNoDuplicate) {
        return singleTimer.record(() -> {
            Identifiers.requireImageId(id);
            DecodedImage decoded = decoder.decode(bytes);
            StoredImage image = stored(bytes, decoded);
            if (ifNoDuplicate) {
                duplicates.requireNoCopy(collectionName, id, image.perceptualHash());
            }
            UpsertResult result = storeWithCurrentModel(collectionName, id, image, decoded, metadataJson);
            count(result.created() ? "created" : "updated", 1);
            return result;
        });
    }

    private void count(String outcome, long images) {
        meters.counter("imagesim.ingest.images", "outcome", outcome).increment(images);
    }

    /** Embeds with the collection's model and stores; once more if a re-index switched models meanwhile. */
    private UpsertResult storeWithCurrentModel(String collectionName, String id, StoredImage image,
            DecodedImage decoded, String metadataJson) {
        for (int attempt = 0; ; attempt++) {
            Collection collection = catalog.searchTarget(collectionName).collection();
            float[] vector = models.get(collection.requireModel()).embed(List.of(decoded.image()))[0];
            try {
                return catalog.upsertImage(collection.name(), id, image, vector, metadataJson, collection.modelId());
            } catch (ImagesimException e) {
                if (!e.code().equals(Catalog.MODEL_CHANGED) || attempt > 0) {
                    throw e;
                }
            }
        }
    }

    /**
     * Stores many images, embedding them in engine-sized batches; an item that fails is reported and the
     * others go on. Each stored item is committed on its own.
     */
    public BatchResult putAll(String collectionName, List<BatchItem> items) {
        return batchTimer.record(() -> storeAll(collectionName, items));
    }

    /** Stores one client vector in a vector collection; any problem is thrown and nothing is stored. */
    public UpsertResult putVector(String collectionName, VectorItem item) {
        return singleTimer.record(() -> {
            VectorChecks.requireFinite(item.vector(), "vector of " + item.id());
            UpsertResult result = catalog.upsertVector(collectionName, item.id(), item.vector(), item.metadataJson());
            count(result.created() ? "created" : "updated", 1);
            return result;
        });
    }

    /**
     * Stores many client vectors in a vector collection: an item that fails its checks (bad id, wrong
     * dimension, non-finite value) is reported and the others are committed together, in one transaction.
     * A collection with a model refuses the whole batch with 409.
     */
    public BatchResult putVectors(String collectionName, List<VectorItem> items) {
        return batchTimer.record(() -> {
            Collection collection = catalog.searchTarget(collectionName).collection();
            collection.requireNoModel();
            BatchItemResult[] results = new BatchItemResult[items.size()];
            List<Integer> valid = new ArrayList<>(items.size());
            for (int i = 0; i < items.size(); i++) {
                VectorItem item = items.get(i);
                try {
                    Identifiers.requireImageId(item.id());
                    VectorChecks.requireFinite(item.vector(), "vector of " + item.id());
                    collection.requireDimension(item.vector(), "the vector of " + item.id());
                    valid.add(i);
                } catch (ImagesimException e) {
                    results[i] = BatchItemResult.failed(item.id(), e.code(), e.getMessage());
                }
            }
            List<UpsertResult> stored = catalog.upsertVectors(collectionName, valid.stream().map(items::get).toList());
            for (int j = 0; j < valid.size(); j++) {
                UpsertResult result = stored.get(j);
                results[valid.get(j)] = new BatchItemResult(result.record().id(),
                        result.created() ? "created" : "updated", null);
            }
            return counted(BatchResult.of(List.of(results)));
        });
    }

    private BatchResult storeAll(String collectionName, List<BatchItem> items) {
        Collection collection = catalog.searchTarget(collectionName).collection();
        EmbeddingModel model = models.get(collection.requireModel());
        BatchItemResult[] results = new BatchItemResult[items.size()];
        List<Integer> pending = new ArrayList<>();
        List<DecodedImage> decoded = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            BatchItem item = items.get(i);
            try {
                Identifiers.requireImageId(item.id());
                decoded.add(decoder.decode(item.bytes()));
                pending.add(i);
            } catch (ImagesimException e) {
                results[i] = BatchItemResult.failed(item.id(), e.code(), e.getMessage());
            }
            if (pending.size() == batchSize || (i == items.size() - 1 && !pending.isEmpty())) {
                store(collection, model, items, pending, decoded, results);
                pending.clear();
                decoded.clear();
            }
        }
        return counted(BatchResult.of(List.of(results)));
    }

    private BatchResult counted(BatchResult result) {
        count("created", result.created());
        count("updated", result.updated());
        count("failed", result.failed());
        return result;
    }

    private void store(Collection collection, EmbeddingModel model, List<BatchItem> items, List<Integer> pending,
            List<DecodedImage> decoded, BatchItemResult[] results) {
        float[][] vectors = model.embed(decoded.stream().map(DecodedImage::image).toList());
        for (int j = 0; j < pending.size(); j++) {
            int i = pending.get(j);
            BatchItem item = items.get(i);
            try {
                UpsertResult result = upsert(collection, model, item, decoded.get(j), vectors[j]);
                results[i] = new BatchItemResult(item.id(), result.created() ? "created" : "updated", null);
            } catch (ImagesimException e) {
                results[i] = BatchItemResult.failed(item.id(), e.code(), e.getMessage());
            }
        }
    }

    private UpsertResult upsert(Collection collection, EmbeddingModel model, BatchItem item, DecodedImage decoded,
            float[] vector) {
        StoredImage image = stored(item.bytes(), decoded);
        try {
            return catalog.upsertImage(collection.name(), item.id(), image, vector, item.metadataJson(),
                    model.manifest().id());
        } catch (ImagesimException e) {
            if (!e.code().equals(Catalog.MODEL_CHANGED)) {
                throw e;
            }
            return storeWithCurrentModel(collection.name(), item.id(), image, decoded, item.metadataJson());
        }
    }

    private static StoredImage stored(byte[] bytes, DecodedImage decoded) {
        return new StoredImage(bytes, decoded.contentType(), decoded.width(), decoded.height(),
                PerceptualHash.of(decoded.image()));
    }
}
