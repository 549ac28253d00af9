package dev.imagesim.embedding;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
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
import dev.imagesim.engine.DjlRuntime;
import dev.imagesim.model.ModelBundle;
import dev.imagesim.model.ModelLoader;

/**
 * Peak resident memory and throughput of serving a large trunk: ResNet-50 at 224 px, batches of 32,
 * DJL-built eager blocks with seeded weights. Prints the process's peak RSS (VmHWM) before and after, and how
 * long loading for serving took.
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
        ModelBundle bundle = TestManifests.installSeeded(loader,
                TestManifests.seeded(architecture, size, 3, 128).validated(), dataDir.resolve("bundle"));
        List<BufferedImage> images = new ArrayList<>();
        for (int i = 0; i < batch; i++) {
            images.add(TestImages.shape(ShapeKind.values()[i % 4], new Color(i * 7919 % 0xFFFFFF), size, i % 9));
        }
        System.out.printf("serving memory: before loading, peak RSS %s%n", peakRss());
        long loading = System.nanoTime();
        ServingNetwork.Served loaded = ServingNetwork.load(loader, bundle);
        try (DjlEmbeddingModel model = new DjlEmbeddingModel(bundle.manifest(), loaded, 1, batch, null)) {
            System.out.printf("serving memory: model loaded in %.2f s (channels-last %s), peak RSS %s, RSS %s, %s%n",
                    (System.nanoTime() - loading) / 1e9, loaded.channelsLast(), peakRss(), status("VmRSS"),
                    directBuffers());
            for (int run = 0; run < 3; run++) {
                long start = System.nanoTime();
                model.embed(images);
                double seconds = (System.nanoTime() - start) / 1e9;
                System.out.printf("serving memory: %s %d px, batch %d: %.1f images/s, peak RSS %s, RSS %s (anonymous "
                        + "%s, files %s), %s%n", architecture, size, batch, batch / seconds, peakRss(),
                        status("VmRSS"), status("RssAnon"), status("RssFile"), directBuffers());
            }
        }
    }

    private static String directBuffers() {
        BufferPoolMXBean pool = DirectBuffers.pool();
        return String.format("direct buffers %d (%d kB)", pool.getCount(), pool.getMemoryUsed() / 1024);
    }

    private static String peakRss() throws IOException {
        return status("VmHWM");
    }

    private static String status(String field) throws IOException {
        return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith(field + ":"))
                .map(l -> l.substring(field.length() + 1).trim()).findFirst().orElse("?");
    }
}
