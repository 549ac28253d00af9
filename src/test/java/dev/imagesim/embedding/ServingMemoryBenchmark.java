package dev.imagesim.embedding;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.imagesim.DataDirectory;
import dev.imagesim.TestEngine;
import dev.imagesim.TestManifests;
import dev.imagesim.TestImages;
import dev.imagesim.TestImages.ShapeKind;
import dev.imagesim.model.Architecture;
import dev.imagesim.model.DjlRuntime;
import dev.imagesim.model.ModelBundle;
import dev.imagesim.model.ModelLoader;
import dev.imagesim.model.ModelManifest;

/**
 * Peak resident memory and throughput of serving a large trunk: ResNet-50 at 224 px, batches of 32,
 * DJL-built eager blocks with seeded weights, as many predictors as the service keeps by default (one per
 * intra-op thread, so a batch runs as that many shares side by side) unless
 * {@code -Dimagesim.bench.predictors} says otherwise. Prints the process's peak RSS (VmHWM) before and after.
 * {@code ./mvnw -Pbench test -Dtest=ServingMemoryBenchmark -Dimagesim.bench.architecture=resnet50}
 */
@Tag("benchmark")
class ServingMemoryBenchmark {

    @TempDir
    Path dataDir;

    @Test
    void peakRssOfBatch32() throws IOException {
        Architecture architecture = Architecture.valueOf(
                System.getProperty("imagesim.bench.architecture", "resnet50").toUpperCase());
        int size = Integer.getInteger("imagesim.bench.input-size", 224);
        int batch = Integer.getInteger("imagesim.bench.batch", 32);
        DjlRuntime runtime = new DjlRuntime(new DataDirectory(dataDir), TestEngine.properties());
        ModelLoader loader = new ModelLoader(runtime);
        ModelManifest manifest = TestManifests.seeded(architecture, size, 3, 128).validated();
        Path bundle = Files.createDirectories(dataDir.resolve("bundle"));
        try (OutputStream out = Files.newOutputStream(bundle.resolve(ModelLoader.PARAMS_FILE))) {
            loader.writeSeededWeights(manifest, out);
        }
        ModelManifest installed = manifest.installed(ModelLoader.PARAMS_FILE, null);
        List<BufferedImage> images = new ArrayList<>();
        for (int i = 0; i < batch; i++) {
            images.add(TestImages.shape(ShapeKind.values()[i % 4], new Color(i * 7919 % 0xFFFFFF), size, i % 9));
        }
        System.out.printf("serving memory: before loading, peak RSS %s%n", peakRss());
        int predictors = Integer.getInteger("imagesim.bench.predictors", runtime.intraOpThreads().total());
        try (DjlEmbeddingModel model = new DjlEmbeddingModel(installed,
                loader.loadForServing(new ModelBundle(bundle, installed)), runtime.intraOpThreads(), predictors, batch,
                null)) {
            System.out.printf("serving memory: model loaded, peak RSS %s%n", peakRss());
            for (int run = 0; run < 3; run++) {
                long start = System.nanoTime();
                model.embed(images);
                double seconds = (System.nanoTime() - start) / 1e9;
                System.out.printf("serving memory: %s %d px, batch %d: %.1f images/s, peak RSS %s, RSS %s%n",
                        architecture, size, batch, batch / seconds, peakRss(), status("VmRSS"));
            }
        }
    }

    private static String peakRss() throws IOException {
        return status("VmHWM");
    }

    private static String status(String field) throws IOException {
        return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith(field + ":"))
                .map(l -> l.substring(field.length() + 1).trim()).findFirst().orElse("?");
    }
}
