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


import dev.imagesim.DataDirectory;
import dev.imagesim.TestEngine;
import dev.imagesim.TestImages;
import dev.imagesim.TestImages.ShapeKind;
import dev.imagesim.TestManifests;
import dev.imagesim.vector.Distance;
import dev.imagesim.model.Architecture;
import dev.imagesim.engine.DjlRuntime;
import dev.imagesim.model.ModelBundle;
import dev.imagesim.model.ModelLoader;
import dev.imagesim.model.ModelManifest;

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
        model = new DjlEmbeddingModel(bundle.manifest(), ServingNetwork.load(loader, bundle), 2, 4,
                Duration.ofMillis(1));
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

    /** A pass of several images embeds each as a single image does, whatever the network. */
    @ParameterizedTest
    @CsvSource({"CNN, 32, 1", "VGG11, 32, 3", "RESNET18, 32, 3", "RESNET50, 32, 3"})
    void aPassEmbedsEachImageAsItIsEmbeddedAlone(Architecture architecture, int size, int channels)
            throws Exception {
        ModelBundle bundle = TestManifests.installSeeded(loader,
                TestManifests.seeded(architecture, size, channels, 16).validated(),
                dataDir.resolve("pass-" + architecture + "-" + size));
        try (DjlEmbeddingModel onePass = new DjlEmbeddingModel(bundle.manifest(), ServingNetwork.load(loader, bundle),
                1, 32, null)) {
            assertOnePassEmbedsAsAlone(onePass, pass(size));
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
        try (DjlEmbeddingModel served = new DjlEmbeddingModel(bundle.manifest(), ServingNetwork.load(loader, bundle),
                1, 32, null)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (directBufferBytes() - before >= 1 << 20 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            long loaded = directBufferBytes();
            assertThat(loaded - before).isLessThan(1 << 20);
            for (int pass = 0; pass < 3; pass++) {
                served.embed(pass(224));
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

    /** Eight distinct test images. */
    static List<BufferedImage> pass(int size) {
        List<BufferedImage> images = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            images.add(TestImages.shape(ShapeKind.values()[i % ShapeKind.values().length],
                    new Color(30 * i, 255 - 20 * i, 90), size, i % 4));
        }
        return images;
    }

    @Test
    void aFailedCallGivesItsPredictorBack() {
        float[] good = new float[3 * 32 * 32];
        float[] truncated = new float[10];
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (int i = 0; i < 3; i++) {
                assertThatThrownBy(() -> model.predict(List.of(good, truncated))).isInstanceOf(RuntimeException.class);
            }
            for (int i = 0; i < 3; i++) {
                assertThat(model.predict(List.of(good, good, good))).hasDimensions(3, 16);
            }
        }, "a predictor was not given back");
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
