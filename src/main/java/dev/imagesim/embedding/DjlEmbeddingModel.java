package dev.imagesim.embedding;

import java.awt.image.BufferedImage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.translate.TranslateException;

import dev.imagesim.ImagesimException;
import dev.imagesim.ImagesimException.Kind;
import dev.imagesim.model.ModelManifest;

/**
 * An {@link EmbeddingModel} backed by a DJL model and a fixed pool of predictors: a DJL predictor is not
 * thread-safe, so each engine call borrows one, and callers beyond the pool size wait for a free one. Each
 * call runs with all of libtorch's intra-op threads. Calls smaller than an engine batch go through a
 * {@link MicroBatcher} (unless it is off), so concurrent single-image requests share engine batches. Images
 * are preprocessed on the caller's thread, the images of one call in parallel (the common fork-join pool
 * helps).
 */
final class DjlEmbeddingModel implements EmbeddingModel, AutoCloseable {

    private final ModelManifest manifest;
    private final Model model;
    private final Preprocessor preprocessor;
    private final BlockingQueue<Predictor<List<float[]>, float[][]>> predictors;
    private final int batchSize;
    private final MicroBatcher batcher;
    private final int poolSize;
    private volatile boolean closed;

    /** {@code batchWait} null: no micro-batching, every call runs on its own. */
    DjlEmbeddingModel(ModelManifest manifest, ServingNetwork.Served served, int poolSize, int batchSize,
            Duration batchWait) {
        this.manifest = manifest;
        this.model = served.model();
        this.preprocessor = new Preprocessor(manifest);
        this.batchSize = batchSize;
        this.poolSize = poolSize;
        this.predictors = new ArrayBlockingQueue<>(poolSize);
        EmbeddingTranslator translator = new EmbeddingTranslator(manifest.channels(), manifest.inputSize(),
                served.channelsLast());
        for (int i = 0; i < poolSize; i++) {
            predictors.add(model.newPredictor(translator));
        }
        this.batcher = batchWait == null ? null
                : new MicroBatcher(manifest.id(), poolSize, batchSize, batchWait, this::predict);
    }

    @Override
    public ModelManifest manifest() {
        return manifest;
    }

    @Override
    public float[][] embed(List<BufferedImage> images) {
        List<float[]> tensors = images.size() == 1 ? List.of(preprocessor.toTensor(images.get(0)))
                : images.parallelStream().map(preprocessor::toTensor).toList();
        return batcher != null && tensors.size() < batchSize ? batcher.run(tensors) : predict(tensors);
    }

    /**
     * Runs preprocessed tensors through one predictor (waiting for it if all are busy), {@code batchSize} at a
     * time.
     */
    float[][] predict(List<float[]> tensors) {
        Predictor<List<float[]>, float[][]> predictor = borrow();
        try {
            float[][] embeddings = new float[tensors.size()][];
            for (int start = 0; start < tensors.size(); start += batchSize) {
                float[][] output = predictor.predict(
                        tensors.subList(start, Math.min(tensors.size(), start + batchSize)));
                System.arraycopy(output, 0, embeddings, start, output.length);
            }
            return embeddings;
        } catch (TranslateException e) {
            throw new ImagesimException(Kind.UNAVAILABLE, "embedding-failed",
                    "the model " + manifest.id() + " failed to embed: " + e.getMessage(), e);
        } finally {
            predictors.add(predictor);
        }
    }

    private Predictor<List<float[]>, float[][]> borrow() {
        try {
            while (true) {
                if (closed) {
                    throw ImagesimException.notFound("model-not-found", "model " + manifest.id() + " was removed");
                }
                Predictor<List<float[]>, float[][]> predictor = predictors.poll(100, TimeUnit.MILLISECONDS);
                if (predictor != null) {
                    return predictor;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ImagesimException(Kind.UNAVAILABLE, "interrupted", "interrupted while waiting for a predictor");
        }
    }

    /** Closes the model once every predictor is back from the calls running on it; later calls fail. */
    @Override
    public void close() {
        if (batcher != null) {
            batcher.close();
        }
        List<Predictor<List<float[]>, float[][]>> returned = new ArrayList<>();
        try {
            for (int i = 0; i < poolSize; i++) {
                returned.add(predictors.take());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closed = true;
            returned.forEach(Predictor::close);
            model.close();
        }
    }
}
