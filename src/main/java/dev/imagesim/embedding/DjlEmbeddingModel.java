package dev.imagesim.embedding;

import java.awt.image.BufferedImage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.translate.TranslateException;

import dev.imagesim.ImagesimException;
import dev.imagesim.ImagesimException.Kind;
import dev.imagesim.model.IntraOpThreads;
import dev.imagesim.model.ModelManifest;
import dev.imagesim.model.ServingNetwork;

/**
 * An {@link EmbeddingModel} backed by a DJL model and a fixed pool of predictors: a DJL predictor is not
 * thread-safe, so each engine call borrows one, and callers beyond the pool size wait for a free one.
 * Calls smaller than an engine batch go through a {@link MicroBatcher} (unless it is off), so concurrent
 * single-image requests share engine batches. Images are preprocessed on the caller's thread, the images of
 * one call in parallel (the common fork-join pool helps).
 *
 * <p>The cores are shared, not multiplied: a call of several images also takes every predictor idle at that
 * moment and gives each an even share of its images on a thread of its own, and each share runs with its part
 * of libtorch's intra-op threads ({@link #threadsFor}): libtorch's convolutions scale only 1.6× over two
 * threads here, so two shares on one thread each beat one batch on two (ResNets at batch 32: 1.06–1.12×,
 * medians of an A/B in docs/performance.md), and concurrent calls never start more threads than there are
 * cores. On a GPU a call keeps to one predictor: splitting would only shrink its batches.
 */
final class DjlEmbeddingModel implements EmbeddingModel, AutoCloseable {

    /** Input values (pixels × channels) a call needs before a second intra-op thread pays (see threadsFor). */
    static final int VALUES_PER_THREAD = 65_536;

    private final ModelManifest manifest;
    private final Model model;
    private final Preprocessor preprocessor;
    private final BlockingQueue<Predictor<List<float[]>, float[][]>> predictors;
    private final int batchSize;
    /** Input values of one image (pixels × channels), for {@link #threadsFor}. */
    private final int valuesPerImage;
    private final MicroBatcher batcher;
    private final IntraOpThreads threads;
    /** Whether a call takes the idle predictors too: on the CPU, where it can give each share its threads. */
    private final boolean spreads;
    /** Runs the shares of a call beyond the caller's own; null with one predictor or when calls do not spread. */
    private final ExecutorService helpers;
    /** Predictors lent out, summed over all calls. */
    private final AtomicInteger running = new AtomicInteger();

    /** {@code batchWait} null: no micro-batching, every call runs on its own. */
    DjlEmbeddingModel(ModelManifest manifest, Model model, IntraOpThreads threads, int poolSize, int batchSize,
            Duration batchWait) {
        this.manifest = manifest;
        this.model = model;
        this.threads = threads;
        this.spreads = threads.adjustable() && model.getNDManager().getDevice().equals(Device.cpu());
        this.preprocessor = new Preprocessor(manifest);
        this.batchSize = batchSize;
        this.valuesPerImage = manifest.channels() * manifest.inputSize() * manifest.inputSize();
        this.predictors = new ArrayBlockingQueue<>(poolSize);
        AtomicInteger made = new AtomicInteger();
        this.helpers = !spreads || poolSize == 1 ? null : Executors.newFixedThreadPool(poolSize - 1, task -> {
            Thread helper = new Thread(task, "embed-" + manifest.id() + "-" + made.incrementAndGet());
            helper.setDaemon(true);
            return helper;
        });
        EmbeddingTranslator translator = new EmbeddingTranslator(manifest.channels(), manifest.inputSize(),
                images -> ServingNetwork.takesChannelsLast(model, images));
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
     * Runs preprocessed tensors through one predictor (waiting for it if all are busy) and through every other
     * predictor idle at that moment, each with an even share of the tensors, {@code batchSize} at a time.
     */
    float[][] predict(List<float[]> tensors) {
        List<Predictor<List<float[]>, float[][]>> held = new ArrayList<>();
        held.add(borrow());
        while (spreads && held.size() < tensors.size()) {
            Predictor<List<float[]>, float[][]> idle = predictors.poll();
            if (idle == null) {
                break;
            }
            held.add(idle);
        }
        int shares = held.size();
        int perShare = threadsFor(threads.total(), running.addAndGet(shares), tensors.size() / shares,
                valuesPerImage);
        float[][] embeddings = new float[tensors.size()][];
        try {
            List<CompletableFuture<Void>> others = new ArrayList<>();
            for (int share = 1; share < shares; share++) {
                Predictor<List<float[]>, float[][]> predictor = held.get(share);
                int from = start(share, shares, tensors.size());
                int to = start(share + 1, shares, tensors.size());
                others.add(CompletableFuture.runAsync(
                        () -> run(predictor, perShare, tensors, from, to, embeddings), helpers));
            }
            RuntimeException failure = null;
            try {
                run(held.get(0), perShare, tensors, 0, start(1, shares, tensors.size()), embeddings);
            } catch (RuntimeException e) {
                failure = e;
            }
            failure = awaitAll(others, failure);
            if (failure != null) {
                throw failure;
            }
            return embeddings;
        } finally {
            running.addAndGet(-shares);
            predictors.addAll(held);
        }
    }

    /** Waits for every share, failed or not (their predictors go back only then); returns the first failure. */
    private static RuntimeException awaitAll(List<CompletableFuture<Void>> shares, RuntimeException failure) {
        RuntimeException first = failure;
        for (CompletableFuture<Void> share : shares) {
            try {
                share.join();
            } catch (CompletionException e) {
                if (first == null) {
                    first = e.getCause() instanceof RuntimeException cause ? cause : e;
                }
            }
        }
        return first;
    }

    /** Where share {@code share} of {@code shares} starts among {@code count} tensors. */
    static int start(int share, int shares, int count) {
        return (int) ((long) share * count / shares);
    }

    /**
     * Intra-op threads a pass of {@link ServingNetwork#CHANNELS_LAST_FROM} images gets when all {@code poolSize}
     * predictors run (a call of many images takes them all): what the layout probe times the network on at load.
     */
    static int passThreads(int engineThreads, int poolSize, ModelManifest manifest) {
        return threadsFor(engineThreads, poolSize, ServingNetwork.CHANNELS_LAST_FROM,
                manifest.channels() * manifest.inputSize() * manifest.inputSize());
    }

    /**
     * Intra-op threads for one share: an even part of the engine's threads among the predictors running
     * (never fewer than one), and no more than one per {@link #VALUES_PER_THREAD} input values, because
     * splitting a small input costs more than it saves (the default model's 32 px CNN at batch 1: 856–1,535
     * images/s on one thread against 584–796 on two).
     */
    static int threadsFor(int engineThreads, int running, int images, int valuesPerImage) {
        long byWork = Math.max(1, (long) images * valuesPerImage / VALUES_PER_THREAD);
        return (int) Math.min(byWork, Math.max(1, engineThreads / running));
    }

    private void run(Predictor<List<float[]>, float[][]> predictor, int intraOpThreads, List<float[]> tensors,
            int from, int to, float[][] embeddings) {
        threads.use(intraOpThreads);
        try {
            for (int start = from; start < to; start += batchSize) {
                float[][] output = predictor.predict(tensors.subList(start, Math.min(to, start + batchSize)));
                System.arraycopy(output, 0, embeddings, start, output.length);
            }
        } catch (TranslateException e) {
            throw new ImagesimException(Kind.UNAVAILABLE, "embedding-failed",
                    "the model " + manifest.id() + " failed to embed: " + e.getMessage(), e);
        }
    }

    private Predictor<List<float[]>, float[][]> borrow() {
        try {
            return predictors.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ImagesimException(Kind.UNAVAILABLE, "interrupted", "interrupted while waiting for a predictor");
        }
    }

    @Override
    public void close() {
        if (batcher != null) {
            batcher.close();
        }
        if (helpers != null) {
            helpers.shutdownNow();
        }
        predictors.forEach(Predictor::close);
        model.close();
    }
}
