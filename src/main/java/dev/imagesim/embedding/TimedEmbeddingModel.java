package dev.imagesim.embedding;

import java.awt.image.BufferedImage;
import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import dev.imagesim.model.ModelManifest;

/**
 * Times every embedding call as {@code imagesim.embedding}, tagged with the model and the call's batch
 * size class (1, 2-8, 9-32, 33+), so latency per image can be told apart from latency per batch.
 */
final class TimedEmbeddingModel implements EmbeddingModel {

    private static final String[] BUCKETS = {"1", "2-8", "9-32", "33+"};

    private final EmbeddingModel model;
    private final Timer[] timers = new Timer[BUCKETS.length];

    TimedEmbeddingModel(EmbeddingModel model, MeterRegistry registry) {
        this.model = model;
        for (int i = 0; i < BUCKETS.length; i++) {
            timers[i] = Timer.builder("imagesim.embedding")
                    .description("time to embed one call's images")
                    .tag("model", model.manifest().id())
                    .tag("batch", BUCKETS[i])
                    .register(registry);
        }
    }

    @Override
    public ModelManifest manifest() {
        return model.manifest();
    }

    @Override
    public float[][] embed(List<BufferedImage> images) {
        int size = images.size();
        int bucket = size <= 1 ? 0 : size <= 8 ? 1 : size <= 32 ? 2 : 3;
        return timers[bucket].record(() -> model.embed(images));
    }
}
