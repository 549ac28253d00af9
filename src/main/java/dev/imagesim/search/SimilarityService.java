package dev.imagesim.search;

import java.util.List;
import java.util.Objects;

import org.springframework.stereotype.Service;

import dev.imagesim.catalog.Catalog;
import dev.imagesim.catalog.Collection;
import dev.imagesim.catalog.ImageRecord;
import dev.imagesim.embedding.EmbeddingModel;
import dev.imagesim.embedding.EmbeddingModels;
import dev.imagesim.embedding.ImageDecoder;
import dev.imagesim.vector.Distance;
import dev.imagesim.model.ModelManifest;
import dev.imagesim.model.ModelRegistry;

/** Compares two images, uploaded or stored, with a model's metric and, when calibrated, its threshold. */
@Service
public class SimilarityService {

    private final EmbeddingModels models;
    private final ModelRegistry registry;
    private final ImageDecoder decoder;
    private final Catalog catalog;

    public SimilarityService(EmbeddingModels models, ModelRegistry registry, ImageDecoder decoder, Catalog catalog) {
        this.models = models;
        this.registry = registry;
        this.decoder = decoder;
        this.catalog = catalog;
    }

    public Similarity compareImages(String modelId, byte[] a, byte[] b) {
        EmbeddingModel model = models.getOrDefault(modelId);
        float[][] vectors = model.embed(List.of(decoder.decode(a).image(), decoder.decode(b).image()));
        ModelManifest manifest = model.manifest();
        return compare(manifest.id(), manifest.distance(), manifest.verificationThreshold(), vectors[0], vectors[1]);
    }

    public Similarity compareStored(String collectionName, String idA, String idB) {
        ImageRecord a = catalog.image(collectionName, idA);
        ImageRecord b = catalog.image(collectionName, idB);
        if (!Objects.equals(a.modelId(), b.modelId())) {
            // a re-index swapped models between the two reads: both are now stored with the new model
            a = catalog.image(collectionName, idA);
            b = catalog.image(collectionName, idB);
        }
        Collection collection = catalog.searchTarget(collectionName).collection();
        Double threshold = a.modelId() == null ? null : registry.find(a.modelId())
                .map(bundle -> bundle.manifest())
                .filter(manifest -> manifest.distance() == collection.distance())
                .map(ModelManifest::verificationThreshold)
                .orElse(null);
        return compare(a.modelId(), collection.distance(), threshold, a.vector(), b.vector());
    }

    private static Similarity compare(String model, Distance metric, Double threshold, float[] a, float[] b) {
        float distance = metric.between(a, b);
        Boolean match = threshold == null ? null : distance <= threshold;
        return new Similarity(model, metric.wireName(), distance, metric.score(distance), threshold, match);
    }
}
