package dev.imagesim.embedding;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
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
import dev.imagesim.model.Architecture;
import dev.imagesim.model.DjlRuntime;
import dev.imagesim.model.ModelBundle;
import dev.imagesim.model.ModelLoader;
import dev.imagesim.model.ModelManifest;

/**
 * The Java side of {@code bench/embed-bench.sh}: images/s and milliseconds per call at batch 1 and 32 on
 * 224 px RGB images, preprocessing included, for the DJL-built eager trunk (seeded weights) and for the
 * TorchScript trunk that {@code bench/pytorch_embed_bench.py} traced from the PyTorch peer. Same calls,
 * warm-up and medians as the peer. Prints {@code embed <engine> <arch> <batch> <images/s> <ms per call>}.
 */
@Tag("benchmark")
class EmbeddingBenchmark {

    private static final int SIZE = 224;
    private static final int DIM = 128;

    @TempDir
    Path dataDir;

    @Test
    void djlEagerAndTorchScript() throws IOException {
        Path peerDir = Path.of(System.getProperty("imagesim.bench.torchscript-dir", "target/bench"));
        String[] archs = System.getProperty("imagesim.bench.archs", "resnet18,resnet50").split(",");
        ModelLoader loader = new ModelLoader(new DjlRuntime(new DataDirectory(dataDir), TestEngine.properties()));
        List<BufferedImage> images = randomImages(64);
        for (String arch : archs) {
            Path bundle = Files.createDirectories(dataDir.resolve(arch));
            ModelManifest seeded = DjlEmbeddingModelTest.manifest(Architecture.valueOf(arch.toUpperCase()), SIZE, 3, DIM)
                    .validated();
            try (OutputStream out = Files.newOutputStream(bundle.resolve(ModelLoader.PARAMS_FILE))) {
                loader.writeSeededWeights(seeded, out);
            }
            ModelManifest installed = seeded.installed(ModelLoader.PARAMS_FILE, null);
            measure("djl-eager", arch, loader, new ModelBundle(bundle, installed), images);
            Path traced = peerDir.resolve(arch + "-torchscript");
            assumeTrue(Files.exists(traced.resolve("manifest.json")), "no TorchScript bundle at " + traced
                    + ": run bench/embed-bench.sh");
            ModelManifest script = JsonMapper.builder().build()
                    .readValue(traced.resolve("manifest.json").toFile(), ModelManifest.class).validated();
            measure("djl-torchscript", arch, loader, new ModelBundle(traced, script), images);
        }
    }

    private static void measure(String engine, String arch, ModelLoader loader, ModelBundle bundle,
            List<BufferedImage> images) throws IOException {
        try (DjlEmbeddingModel model = new DjlEmbeddingModel(bundle.manifest(), loader.load(bundle), 1, 32, null)) {
            for (int[] run : new int[][] {{1, 30}, {32, 3}}) {
                int batch = run[0];
                timed(model, images, batch, 2); // warm-up
                double[] seconds = timed(model, images, batch, run[1]);
                Arrays.sort(seconds);
                double median = seconds[seconds.length / 2];
                System.out.printf("embed\t%s\t%s\t%d\t%.2f\t%.1f%n", engine, arch, batch, batch / median,
                        median * 1000);
            }
        }
    }

    private static double[] timed(DjlEmbeddingModel model, List<BufferedImage> images, int batch, int calls) {
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

    private static List<BufferedImage> randomImages(int count) {
        Random random = new Random(7);
        List<BufferedImage> images = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            BufferedImage image = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < SIZE; y++) {
                for (int x = 0; x < SIZE; x++) {
                    image.setRGB(x, y, random.nextInt(1 << 24));
                }
            }
            images.add(image);
        }
        return images;
    }
}
