package dev.imagesim.embedding;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

import jakarta.annotation.PreDestroy;


import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.MeterRegistry;

import dev.imagesim.ImagesimException;
import dev.imagesim.ImagesimException.Kind;
import dev.imagesim.model.ModelBundle;
import dev.imagesim.model.ModelLoader;
import dev.imagesim.model.ModelRegistry;

/**
 * Loaded embedding models by id: each bundle is loaded once, on first use, and closed at shutdown. A load runs
 * outside any lock: callers of the model being loaded wait for that load (interruptibly), callers of other
 * models do not wait at all, and a failed load is forgotten so that the next call tries again.
 */
@Component
public class EmbeddingModels {

    private final ModelRegistry registry;
    private final ModelLoader loader;
    private final EmbeddingProperties properties;
    private final MeterRegistry meters;
    private final Map<String, CompletableFuture<Loaded>> models = new ConcurrentHashMap<>();

    /** A loaded model and the timed view callers get. */
    private record Loaded(DjlEmbeddingModel model, EmbeddingModel timed) {
    }

    public EmbeddingModels(ModelRegistry registry, ModelLoader loader, EmbeddingProperties properties,
            MeterRegistry meters) {
        this.registry = registry;
        this.loader = loader;
        this.properties = properties;
        this.meters = meters;
        get(registry.defaultBundle().id());
    }

    /** The default model, loaded at start. */
    public EmbeddingModel defaultModel() {
        return get(registry.defaultBundle().id());
    }

    /** The model with this id; a 404-kind error when no such bundle is installed. */
    public EmbeddingModel get(String modelId) {
        CompletableFuture<Loaded> existing = models.get(modelId);
        if (existing != null) {
            return await(existing).timed();
        }
        CompletableFuture<Loaded> mine = new CompletableFuture<>();
        existing = models.putIfAbsent(modelId, mine);
        if (existing == null) {
            try {
                DjlEmbeddingModel model = load(registry.find(modelId).orElseThrow(
                        () -> ImagesimException.notFound("model-not-found", "no model with id '" + modelId + "'")));
                mine.complete(new Loaded(model, new TimedEmbeddingModel(model, meters)));
            } catch (RuntimeException e) {
                models.remove(modelId, mine);
                mine.completeExceptionally(e);
                throw e;
            }
            existing = mine;
        }
        return await(existing).timed();
    }

    private static Loaded await(CompletableFuture<Loaded> load) {
        try {
            return load.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ImagesimException(Kind.UNAVAILABLE, "interrupted", "interrupted while a model was loading");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException failure ? failure : new IllegalStateException(e.getCause());
        }
    }

    /** The given id, or the default model when it is null or blank. */
    public EmbeddingModel getOrDefault(String modelId) {
        return modelId == null || modelId.isBlank() ? defaultModel() : get(modelId);
    }

    /**
     * Embeds {@code images} with a bundle that is not installed (a candidate being checked), loaded as serving
     * loads it, for this call alone, and closed after. A bundle that fails to load is the caller's error:
     * {@code failure} names it.
     */
    public float[][] trial(ModelBundle bundle, List<BufferedImage> images, String failure) {
        DjlEmbeddingModel model;
        try {
            model = open(bundle, 1, null);
        } catch (IOException | RuntimeException e) {
            throw new ImagesimException(Kind.UNPROCESSABLE, failure, e.getMessage(), e);
        }
        try (model) {
            return model.embed(images);
        } catch (RuntimeException e) {
            throw new ImagesimException(Kind.UNPROCESSABLE, failure,
                    "model " + bundle.id() + " fails on a probe image: " + e.getMessage(), e);
        }
    }

    /**
     * Forgets a loaded model whose bundle is being removed and closes it once the calls running on it have
     * finished; later calls that still hold it fail with 404 {@code model-not-found}.
     */
    public void evict(String modelId) {
        CompletableFuture<Loaded> load = models.remove(modelId);
        if (load != null && load.isDone() && !load.isCompletedExceptionally()) {
            load.join().model().close();
        }
    }

    private DjlEmbeddingModel load(ModelBundle bundle) {
        try {
            return open(bundle, properties.predictors(), properties.microBatching() ? properties.batchWait() : null);
        } catch (IOException e) {
            throw new ImagesimException(Kind.UNAVAILABLE, "model-load-failed", e.getMessage(), e);
        }
    }

    /** The bundle loaded as serving loads it, with this many predictors and micro-batching when given a wait. */
    private DjlEmbeddingModel open(ModelBundle bundle, int predictors, Duration batchWait) throws IOException {
        return new DjlEmbeddingModel(bundle.manifest(), ServingNetwork.load(loader, bundle), predictors,
                properties.batchSize(), batchWait);
    }

    @PreDestroy
    void close() {
        models.values().stream().filter(load -> load.isDone() && !load.isCompletedExceptionally())
                .forEach(load -> load.join().model().close());
        models.clear();
    }
}
