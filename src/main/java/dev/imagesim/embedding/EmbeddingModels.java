package dev.imagesim.embedding;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.annotation.PreDestroy;

import ai.djl.Model;

import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.MeterRegistry;

import dev.imagesim.ImagesimException;
import dev.imagesim.ImagesimException.Kind;
import dev.imagesim.model.DjlRuntime;
import dev.imagesim.model.IntraOpThreads;
import dev.imagesim.model.ModelBundle;
import dev.imagesim.model.ModelLoader;
import dev.imagesim.model.ModelRegistry;

/** Loaded embedding models by id: each bundle is loaded once, on first use, and closed at shutdown. */
@Component
public class EmbeddingModels {

    private final ModelRegistry registry;
    private final ModelLoader loader;
    private final IntraOpThreads threads;
    private final EmbeddingProperties properties;
    private final MeterRegistry meters;
    private final Map<String, DjlEmbeddingModel> loaded = new ConcurrentHashMap<>();
    private final Map<String, EmbeddingModel> timed = new ConcurrentHashMap<>();

    public EmbeddingModels(ModelRegistry registry, ModelLoader loader, DjlRuntime runtime,
            EmbeddingProperties properties, MeterRegistry meters) {
        this.registry = registry;
        this.loader = loader;
        this.threads = runtime.intraOpThreads();
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
        return timed.computeIfAbsent(modelId, id -> new TimedEmbeddingModel(
                loaded.computeIfAbsent(id, key -> load(registry.find(key).orElseThrow(
                        () -> ImagesimException.notFound("model-not-found", "no model with id '" + key + "'")))),
                meters));
    }

    /** The given id, or the default model when it is null or blank. */
    public EmbeddingModel getOrDefault(String modelId) {
        return modelId == null || modelId.isBlank() ? defaultModel() : get(modelId);
    }

    private DjlEmbeddingModel load(ModelBundle bundle) {
        try {
            int predictors = properties.predictors() > 0 ? properties.predictors() : threads.total();
            Model served = loader.loadForServing(bundle,
                    DjlEmbeddingModel.passThreads(threads.total(), predictors, bundle.manifest()));
            return new DjlEmbeddingModel(bundle.manifest(), served, threads, predictors, properties.batchSize(),
                    properties.microBatching() ? properties.batchWait() : null);
        } catch (IOException e) {
            throw new ImagesimException(Kind.UNAVAILABLE, "model-load-failed", e.getMessage(), e);
        }
    }

    @PreDestroy
    void close() {
        loaded.values().forEach(DjlEmbeddingModel::close);
        loaded.clear();
        timed.clear();
    }
}
