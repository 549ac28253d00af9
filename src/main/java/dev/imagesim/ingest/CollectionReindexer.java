package dev.imagesim.ingest;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Service;

import dev.imagesim.DaemonThreads;
import dev.imagesim.ImagesimException;
import dev.imagesim.ImagesimException.Kind;
import dev.imagesim.catalog.Catalog;
import dev.imagesim.catalog.ReindexBase;
import dev.imagesim.catalog.StoredOriginal;
import dev.imagesim.embedding.EmbeddingModel;
import dev.imagesim.embedding.EmbeddingModels;
import dev.imagesim.embedding.EmbeddingProperties;
import dev.imagesim.embedding.ImageDecoder;

/**
 * Moves a collection to another model: embeds every stored original with the new model into a new index in
 * the background, then swaps collection, vectors and index in one step. Until the swap every search and
 * write uses the old model; after it, the new one. A re-index that fails changes nothing. Its status lives
 * in memory: a re-index cut short by a restart simply did not happen and can be started again.
 */
@Service
public class CollectionReindexer implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(CollectionReindexer.class);

    private final Catalog catalog;
    private final EmbeddingModels models;
    private final ImageDecoder decoder;
    private final int batchSize;
    private final Map<String, ReindexStatus> statuses = new ConcurrentHashMap<>();
    private final ExecutorService worker = DaemonThreads.single("reindex-worker");

    public CollectionReindexer(Catalog catalog, EmbeddingModels models, ImageDecoder decoder,
            EmbeddingProperties properties) {
        this.catalog = catalog;
        this.models = models;
        this.decoder = decoder;
        this.batchSize = properties.batchSize();
    }

    /** Starts moving {@code collectionName} to {@code modelId}; 409 while another re-index of it runs. */
    public ReindexStatus start(String collectionName, String modelId) {
        if (modelId == null || modelId.isBlank()) {
            throw ImagesimException.invalid("model-required", "name the model to re-index with");
        }
        EmbeddingModel model = models.get(modelId);
        ReindexBase base = catalog.reindexBase(collectionName);
        String name = base.collection().name();
        ReindexStatus status = new ReindexStatus(name, "running", base.collection().modelId(), modelId,
                base.originals().size(), 0, null, Instant.now(), null);
        ReindexStatus previous = statuses.putIfAbsent(name, status);
        if (previous != null && (previous.running() || !statuses.replace(name, previous, status))) {
            throw new ImagesimException(Kind.CONFLICT, "reindex-running",
                    "collection '" + name + "' is already being re-indexed");
        }
        log.info("re-indexing collection {} ({} images) from model {} to {}", name, base.originals().size(),
                base.collection().modelId(), modelId);
        worker.execute(() -> run(base, model));
        return status;
    }

    /** The collections a running re-index is moving to {@code modelId}. */
    public List<String> reindexingTo(String modelId) {
        return statuses.values().stream().filter(s -> s.running() && s.toModel().equals(modelId))
                .map(ReindexStatus::collection).sorted().toList();
    }

    public ReindexStatus status(String collectionName) {
        String name = catalog.searchTarget(collectionName).collection().name();
        ReindexStatus status = statuses.get(name);
        if (status == null) {
            throw ImagesimException.notFound("reindex-not-found", "collection '" + name + "' has not been re-indexed");
        }
        return status;
    }

    private void run(ReindexBase base, EmbeddingModel model) {
        String name = base.collection().name();
        try {
            List<StoredOriginal> originals = base.originals();
            float[][] vectors = new float[originals.size()][];
            for (int start = 0; start < originals.size(); start += batchSize) {
                List<StoredOriginal> batch = originals.subList(start, Math.min(originals.size(), start + batchSize));
                System.arraycopy(embed(model, batch), 0, vectors, start, batch.size());
                int done = start + batch.size();
                statuses.computeIfPresent(name, (k, s) -> s.progressed(done));
            }
            catalog.switchModel(base, model.manifest().id(), model.manifest().embeddingDim(), vectors,
                    late -> embed(model, late));
            statuses.computeIfPresent(name, (k, s) -> s.finished("succeeded", null));
            log.info("collection {} now uses model {}", name, model.manifest().id());
        } catch (RuntimeException e) {
            log.error("re-index of collection {} failed; it keeps model {}", name, base.collection().modelId(), e);
            statuses.computeIfPresent(name, (k, s) -> s.finished("failed", e.getMessage()));
        }
    }

    private float[][] embed(EmbeddingModel model, List<StoredOriginal> originals) {
        List<java.awt.image.BufferedImage> images = new ArrayList<>(originals.size());
        for (StoredOriginal original : originals) {
            try {
                images.add(decoder.decode(catalog.originalBytes(original)).image());
            } catch (IOException e) {
                throw new ImagesimException(Kind.UNAVAILABLE, "original-unreadable",
                        "the original of image '" + original.id() + "' cannot be read: " + e.getMessage(), e);
            }
        }
        return model.embed(images);
    }

    @Override
    public void destroy() {
        worker.shutdownNow();
    }
}
