package dev.imagesim.embedding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import ai.djl.Model;

import dev.imagesim.DataDirectory;
import dev.imagesim.TestEngine;
import dev.imagesim.TestImages;
import dev.imagesim.TestImages.ShapeKind;
import dev.imagesim.TestManifests;
import dev.imagesim.index.Distance;
import dev.imagesim.model.Architecture;
import dev.imagesim.model.ChannelsLast;
import dev.imagesim.model.DjlRuntime;
import dev.imagesim.model.ModelBundle;
import dev.imagesim.model.ModelLoader;
import dev.imagesim.model.ModelManifest;
import dev.imagesim.model.ServingNetwork;

class DjlEmbeddingModelTest {

    @TempDir
    static Path dataDir;

    static DjlRuntime runtime;
    static ModelLoader loader;
    static DjlEmbeddingModel model;

    @BeforeAll
    static void loadSeededCnn() throws Exception {
        runtime = new DjlRuntime(new DataDirectory(dataDir), TestEngine.properties());
        loader = new ModelLoader(runtime);
        ModelBundle bundle = TestManifests.installSeeded(loader,
                TestManifests.seeded(Architecture.CNN, 32, 3, 16).validated(), dataDir.resolve("bundle"));
        model = new DjlEmbeddingModel(bundle.manifest(), loader.loadForServing(bundle), runtime.intraOpThreads(), 2,
                4, Duration.ofMillis(1));
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void embeddingsAreUnitLengthAndOfTheManifestDimension() {
        float[][] vectors = model.embed(List.of(TestImages.shape(ShapeKind.CIRCLE, Color.RED, 64, 0)));
        assertThat(vectors[0]).hasSize(16);
        double norm = 0;
        for (float v : vectors[0]) {
            norm += v * v;
        }
        assertThat(Math.sqrt(norm)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
    }

    @Test
    void batchesLargerThanTheEngineBatchKeepTheirOrder() {
        List<BufferedImage> images = List.of(
                TestImages.shape(ShapeKind.CIRCLE, Color.RED, 64, 0),
                TestImages.shape(ShapeKind.SQUARE, Color.BLUE, 64, 0),
                TestImages.shape(ShapeKind.TRIANGLE, Color.GREEN, 64, 0),
                TestImages.shape(ShapeKind.STRIPES, Color.BLACK, 64, 0),
                TestImages.shape(ShapeKind.SQUARE, Color.ORANGE, 64, 3),
                TestImages.shape(ShapeKind.CIRCLE, Color.MAGENTA, 64, 2));
        float[][] together = model.embed(images);
        for (int i = 0; i < images.size(); i++) {
            float[] alone = model.embed(List.of(images.get(i)))[0];
            assertThat(Distance.COSINE.between(alone, together[i])).isLessThan(1e-4f);
        }
        assertThat(Distance.COSINE.between(together[0], together[1])).isGreaterThan(1e-3f);
    }

    /** A pass of enough images runs the small CNN channels-last, a single image NCHW: the embeddings agree. */
    @Test
    void aPassRunChannelsLastGivesTheEmbeddingsOfImagesRunAlone() throws Exception {
        ModelManifest manifest = model.manifest();
        Model loaded = loader.loadForServing(new ModelBundle(dataDir.resolve("bundle"), manifest));
        assertThat(ServingNetwork.takesChannelsLast(loaded, ServingNetwork.CHANNELS_LAST_FROM)).isTrue();
        assertThat(ServingNetwork.takesChannelsLast(loaded, 1)).isFalse();
        try (DjlEmbeddingModel onePass = new DjlEmbeddingModel(manifest, loaded, runtime.intraOpThreads(), 1, 32,
                null)) {
            assertOnePassEmbedsAsAlone(onePass, channelsLastPass(64));
        }
    }

    /**
     * Whichever layout the loader keeps for a network (channels-last only where its probe found the engine's
     * channels-last kernels right on this machine: libtorch 2.5.1's 1×1 convolution was not on a Zen 5), a pass
     * of 8 images embeds each as a single image does (NCHW). {@code auto} also times the two.
     */
    @ParameterizedTest
    @CsvSource({"CNN, 32, 1, ALWAYS", "CNN, 32, 1, AUTO", "VGG11, 32, 3, ALWAYS", "RESNET18, 32, 3, ALWAYS",
            "RESNET50, 32, 3, ALWAYS", "RESNET18, 224, 3, AUTO"})
    void whicheverLayoutTheLoaderKeepsAPassEmbedsAsImagesAlone(Architecture architecture, int size, int channels,
            ChannelsLast setting) throws Exception {
        ModelLoader probing = new ModelLoader(new DjlRuntime(new DataDirectory(dataDir),
                TestEngine.properties(setting)));
        ModelBundle bundle = TestManifests.installSeeded(probing,
                TestManifests.seeded(architecture, size, channels, 16).validated(),
                dataDir.resolve("layout-" + architecture + "-" + size));
        try (DjlEmbeddingModel onePass = new DjlEmbeddingModel(bundle.manifest(), probing.loadForServing(bundle),
                runtime.intraOpThreads(), 1, 32, null)) {
            assertOnePassEmbedsAsAlone(onePass, channelsLastPass(size));
        }
    }

    /**
     * DJL keeps an array made from Java data in a direct buffer that only a garbage collection frees, however
     * long ago the array was closed. Loading for serving, whose folding closes the parameters read from the
     * file (45 MB for ResNet-18), leaves none behind once the JVM's reference handler has run (a few
     * milliseconds after the collection the loader asks for), and embedding, whose batches are written into
     * engine memory, makes none (a pass of 8 at 224 px would leave 4.8 MB).
     */
    @Test
    void loadingAndEmbeddingLeaveNoDirectBuffersBehind() throws Exception {
        ModelBundle bundle = TestManifests.installSeeded(loader,
                TestManifests.seeded(Architecture.RESNET18, 224, 3, 16).validated(), dataDir.resolve("direct"));
        long before = directBufferBytes();
        try (DjlEmbeddingModel served = new DjlEmbeddingModel(bundle.manifest(), loader.loadForServing(bundle),
                runtime.intraOpThreads(), 1, 32, null)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (directBufferBytes() - before >= 1 << 20 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            long loaded = directBufferBytes();
            assertThat(loaded - before).isLessThan(1 << 20);
            for (int pass = 0; pass < 3; pass++) {
                served.embed(channelsLastPass(224));
            }
            assertThat(directBufferBytes() - loaded).isLessThan(1 << 20);
        }
    }

    private static long directBufferBytes() {
        return DirectBuffers.pool().getMemoryUsed();
    }

    /** The model embeds the images in one call as it embeds each alone. */
    static void assertOnePassEmbedsAsAlone(DjlEmbeddingModel model, List<BufferedImage> images) {
        float[][] together = model.embed(images);
        for (int i = 0; i < images.size(); i++) {
            float[] alone = model.embed(List.of(images.get(i)))[0];
            assertThat(Distance.COSINE.between(alone, together[i])).isLessThan(1e-4f);
        }
    }

    /** As many distinct test images as a pass needs to run channels-last. */
    static List<BufferedImage> channelsLastPass(int size) {
        List<BufferedImage> images = new ArrayList<>();
        for (int i = 0; i < ServingNetwork.CHANNELS_LAST_FROM; i++) {
            images.add(TestImages.shape(ShapeKind.values()[i % ShapeKind.values().length],
                    new Color(30 * i, 255 - 20 * i, 90), size, i % 4));
        }
        return images;
    }

    @Test
    void aCallOfSeveralImagesSpreadsOverTheIdlePredictors() {
        List<BufferedImage> images = List.of(TestImages.shape(ShapeKind.CIRCLE, Color.RED, 64, 0),
                TestImages.shape(ShapeKind.SQUARE, Color.BLUE, 64, 0));
        model.embed(images);
        assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName)
                .as("the helper that runs the second share").contains("embed-test-cnn-1");
    }

    @Test
    void aFailedShareFailsTheCallAndEveryPredictorComesBack() {
        float[] good = new float[3 * 32 * 32];
        float[] truncated = new float[10];
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            assertThatThrownBy(() -> model.predict(List.of(good, truncated))).as("the helper's share fails")
                    .isInstanceOf(RuntimeException.class);
            assertThatThrownBy(() -> model.predict(List.of(truncated, good))).as("the caller's share fails")
                    .isInstanceOf(RuntimeException.class);
            for (int i = 0; i < 3; i++) {
                assertThat(model.predict(List.of(good, good, good))).hasDimensions(3, 16);
            }
        }, "a predictor was not given back");
    }

    @Test
    void sharesSplitTheImagesEvenlyAndInOrder() {
        assertThat(DjlEmbeddingModel.start(0, 3, 10)).isZero();
        assertThat(DjlEmbeddingModel.start(1, 3, 10)).isEqualTo(3);
        assertThat(DjlEmbeddingModel.start(2, 3, 10)).isEqualTo(6);
        assertThat(DjlEmbeddingModel.start(3, 3, 10)).isEqualTo(10);
    }

    @Test
    void eachShareGetsItsPartOfTheThreadsWhenTheInputIsLargeEnough() {
        int resnetImage = 3 * 224 * 224;
        assertThat(DjlEmbeddingModel.threadsFor(2, 1, 1, resnetImage)).as("alone").isEqualTo(2);
        assertThat(DjlEmbeddingModel.threadsFor(2, 2, 16, resnetImage)).as("beside another share").isEqualTo(1);
        assertThat(DjlEmbeddingModel.threadsFor(8, 3, 16, resnetImage)).isEqualTo(2);
        assertThat(DjlEmbeddingModel.threadsFor(2, 5, 16, resnetImage)).as("never none").isEqualTo(1);
        assertThat(DjlEmbeddingModel.threadsFor(2, 1, 1, 32 * 32)).as("a small input").isEqualTo(1);
        assertThat(DjlEmbeddingModel.threadsFor(4, 1, 128, 32 * 32)).isEqualTo(2);
    }

    /** The layout probe times a pass on the threads a share of a call gets with every predictor running. */
    @Test
    void theProbeTimesOnTheThreadsAServedPassGets() {
        ModelManifest resnet = TestManifests.seeded(Architecture.RESNET18, 224, 3, 64);
        ModelManifest cnn = TestManifests.seeded(Architecture.CNN, 32, 3, 64);
        assertThat(DjlEmbeddingModel.passThreads(2, 2, resnet)).as("one predictor per thread").isEqualTo(1);
        assertThat(DjlEmbeddingModel.passThreads(2, 1, resnet)).as("one predictor for both threads").isEqualTo(2);
        assertThat(DjlEmbeddingModel.passThreads(8, 2, resnet)).isEqualTo(4);
        assertThat(DjlEmbeddingModel.passThreads(2, 1, cnn)).as("a pass too small to split").isEqualTo(1);
    }

    @Test
    void concurrentCallersGetTheirOwnResults() throws Exception {
        BufferedImage red = TestImages.shape(ShapeKind.CIRCLE, Color.RED, 64, 0);
        BufferedImage stripes = TestImages.shape(ShapeKind.STRIPES, Color.BLACK, 64, 0);
        float[] expectedRed = model.embed(List.of(red))[0];
        float[] expectedStripes = model.embed(List.of(stripes))[0];
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<Boolean>> results = new java.util.ArrayList<>();
            for (int i = 0; i < 60; i++) {
                boolean even = i % 2 == 0;
                results.add(pool.submit(() -> {
                    float[] got = model.embed(List.of(even ? red : stripes))[0];
                    return Distance.COSINE.between(got, even ? expectedRed : expectedStripes) < 1e-4f;
                }));
            }
            for (Future<Boolean> result : results) {
                assertThat(result.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theSameSeedGivesTheSameWeights() throws Exception {
        ModelManifest manifest = TestManifests.seeded(Architecture.CNN, 32, 3, 16);
        java.io.ByteArrayOutputStream first = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream second = new java.io.ByteArrayOutputStream();
        loader.writeSeededWeights(manifest, first);
        loader.writeSeededWeights(manifest, second);
        assertThat(first.toByteArray()).isEqualTo(second.toByteArray());
    }
}
