package dev.imagesim.bundles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import org.springframework.stereotype.Component;

import dev.imagesim.ImagesimException;
import dev.imagesim.ImagesimException.Kind;
import dev.imagesim.catalog.Catalog;
import dev.imagesim.catalog.CollectionInfo;
import dev.imagesim.embedding.EmbeddingModels;
import dev.imagesim.ingest.CollectionReindexer;
import dev.imagesim.model.ModelRegistry;
import dev.imagesim.training.TrainingJob;
import dev.imagesim.training.TrainingJobs;

/**
 * Deletes an installed model that nothing uses: no collection embeds with it, no re-index is moving a
 * collection to it, and no unfinished training job (queued, running or interrupted, which may resume) starts
 * from it. Otherwise 409 {@code model-in-use}, naming the users.
 */
@Component
public class ModelRemoval {

    private final ModelRegistry registry;
    private final EmbeddingModels models;
    private final Catalog catalog;
    private final CollectionReindexer reindexer;
    private final TrainingJobs jobs;

    public ModelRemoval(ModelRegistry registry, EmbeddingModels models, Catalog catalog,
            CollectionReindexer reindexer, TrainingJobs jobs) {
        this.registry = registry;
        this.models = models;
        this.catalog = catalog;
        this.reindexer = reindexer;
        this.jobs = jobs;
    }

    public void delete(String id) {
        registry.find(id).orElseThrow(() -> ImagesimException.notFound("model-not-found", "no model with id '" + id + "'"));
        synchronized (registry) {
            List<String> users = users(id);
            if (!users.isEmpty()) {
                throw new ImagesimException(Kind.CONFLICT, "model-in-use",
                        "model '" + id + "' is in use by " + String.join(", ", users));
            }
            try {
                registry.remove(id);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot remove model " + id + ": " + e.getMessage(), e);
            }
        }
        models.evict(id);
    }

    private List<String> users(String id) {
        List<String> users = new ArrayList<>();
        for (CollectionInfo info : catalog.collections()) {
            if (id.equals(info.collection().modelId())) {
                users.add("collection '" + info.collection().name() + "'");
            }
        }
        reindexer.reindexingTo(id).forEach(c -> users.add("the re-index of collection '" + c + "'"));
        for (TrainingJob job : jobs.list()) {
            if (!job.state().finished() && job.request().trunk() != null && id.equals(job.request().trunk().from())) {
                users.add("training job " + job.id());
            }
        }
        return users;
    }
}
