package dev.imagesim.embedding;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;


import tools.jackson.databind.json.JsonMapper;

import dev.imagesim.DataDirectory;
import dev.imagesim.TestEngine;
import dev.imagesim.TestManifests;
import dev.imagesim.model.Architecture;
import dev.imagesim.engine.DjlRuntime;
import dev.imagesim.model.ModelBundle;
import dev.imagesim.model.ModelLoader;
import dev.imagesim.model.ModelManifest;

/**
 * The Java side of {@code bench/embed-bench.sh}: images/s and milliseconds per call at batch 1 and 32,
 * preprocessing included, for the DJL-built eager trunk (seeded weights) and for the TorchScript trunk that
 * {@code bench/pytorch_embed_bench.py} traced from the PyTorch peer: ResNets on 224 px RGB, and the default
 * model's small CNN on 32 px grey. The eager trunk runs as served (batch normalisation folded) and as built
 * ({@code djl-eager-unfolded}). Same calls and medians as the peer, and a longer warm-up ({@link #warmUp}). Prints {@code embed <engine> <arch> <batch> <images/s> <ms per call>}.
 */
@Tag("benchmark")
class EmbeddingBenchmark {

    /** How an architecture is benchmarked: input side, channels, embedding dimension, calls at batch 1 and 32. */
    record Setup(int size, int channels, int dim, int calls1, int calls32) {

        static Setup of(String arch) {
            return arch.equals("cnn") ? new Setup(32, 1, 64, 300, 30) : new Setup(224, 3, 128, 30, 3);
        }

        /** Seeded weights for {@code arch} written into {@code directory}: the installed bundle. */
        ModelBundle seededBundle(String arch, Path directory, ModelLoader loader) throws IOException {
            return TestManifests.installSeeded(loader, TestManifests.seeded(Architecture.valueOf(arch.toUpperCase()),
                    size, channels, dim).validated(), directory);
        }

        /** 64 images of seeded random pixels, of this setup's side. */
        List<BufferedImage> images() {
            Random random = new Random(7);
            List<BufferedImage> images = new ArrayList<>(64);
            for (int i = 0; i < 64; i++) {
                BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
                for (int y = 0; y < size; y++) {
                    for (int x = 0; x < size; x++) {
                        image.setRGB(x, y, random.nextInt(1 << 24));
                    }
                }
                images.add(image);
            }
            return images;
        }
    }

    @TempDir
    Path dataDir;

    @Test
    void djlEagerAndTorchScript() throws IOException {
        Path peerDir = Path.of(System.getProperty("imagesim.bench.torchscript-dir", "target/bench"));
        String[] archs = System.getProperty("imagesim.bench.archs", "cnn,resnet18,resnet50").split(",");
        ModelLoader loader = new ModelLoader(new DjlRuntime(new DataDirectory(dataDir), TestEngine.properties()));
        for (String arch : archs) {
            Setup setup = Setup.of(arch);
            ModelBundle eager = setup.seededBundle(arch, dataDir.resolve(arch), loader);
            ModelManifest installed = eager.manifest();
            ServingNetwork.Served served = ServingNetwork.load(loader, eager);
            measure("djl-eager", arch, installed, served, setup);
            measure("djl-eager-unfolded", arch, installed,
                    new ServingNetwork.Served(loader.load(eager), served.channelsLast()), setup);
            Path traced = peerDir.resolve(arch + "-torchscript");
            assumeTrue(Files.exists(traced.resolve("manifest.json")), "no TorchScript bundle at " + traced
                    + ": run bench/embed-bench.sh");
            ModelManifest script = JsonMapper.builder().build()
                    .readValue(traced.resolve("manifest.json").toFile(), ModelManifest.class).validated();
            measure("djl-torchscript", arch, script, ServingNetwork.load(loader, new ModelBundle(traced, script)),
                    setup);
        }
    }

    /**
     * One caller, as the peer: each call runs on one predictor with all of the engine's intra-op threads, in
     * passes of {@code imagesim.bench.batch-size} images (32; the service's {@code imagesim.embedding.batch-size}).
     */
    private static void measure(String engine, String arch, ModelManifest manifest, ServingNetwork.Served loaded,
            Setup setup) {
        List<BufferedImage> images = setup.images();
        try (DjlEmbeddingModel model = new DjlEmbeddingModel(manifest, loaded, 1,
                Integer.getInteger("imagesim.bench.batch-size", 32), null)) {
            for (int[] run : new int[][] {{1, setup.calls1()}, {32, setup.calls32()}}) {
                int batch = run[0];
                warmUp(model, images, batch);
                double[] seconds = timed(model, images, batch, run[1]);
                Arrays.sort(seconds);
                double median = seconds[seconds.length / 2];
                System.out.printf("embed\t%s\t%s\t%d\t%.2f\t%.1f%n", engine, arch, batch, batch / median,
                        median * 1000);
            }
        }
    }

    /**
     * Two calls, as the peer makes, and then more until {@code imagesim.bench.warmup-seconds} (default 5) have
     * passed: the peer has no JIT, but the Java around the engine runs interpreted until C2 has compiled it,
     * and a median of a few hundred short calls can fall inside that.
     */
    static void warmUp(DjlEmbeddingModel model, List<BufferedImage> images, int batch) {
        long until = System.nanoTime() + Long.getLong("imagesim.bench.warmup-seconds", 5) * 1_000_000_000L;
        timed(model, images, batch, 2);
        while (System.nanoTime() < until) {
            timed(model, images, batch, 1);
        }
    }

    static double[] timed(DjlEmbeddingModel model, List<BufferedImage> images, int batch, int calls) {
        double[] seconds = new double[calls];
        for (int i = 0; i < calls; i++) {
            List<BufferedImage> chosen = new ArrayList<>(batch);
            for (int j = 0; j < batch; j++) {
                chosen.add(images.get((i * batch + j) % images.size()));
            }
            long start = System.nanoTime();
            model.embed(chosen);
            seconds[i] = (System.nanoTime() - start) / 1e9;
        }
        return seconds;
    }
}
