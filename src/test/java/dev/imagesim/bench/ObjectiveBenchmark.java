package dev.imagesim.bench;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tools.jackson.databind.JsonNode;

import dev.imagesim.RunningService;
import dev.imagesim.embedding.EmbeddingModel;
import dev.imagesim.embedding.EmbeddingModels;
import dev.imagesim.evaluation.RetrievalEvaluator;
import dev.imagesim.evaluation.RetrievalMetrics;
import dev.imagesim.index.Distance;
import dev.imagesim.training.data.IdxDataset;

/**
 * Trains each objective on Fashion-MNIST through the service's own training jobs with a fixed budget and
 * seed, then measures retrieval on the t10k test images through the installed model, as serving embeds
 * them: seen classes (0–7) and held-out classes (8 bag, 9 ankle boot) that training never saw. Not a test.
 *
 * <pre>
 * ./mvnw -Pbench test -Dtest=ObjectiveBenchmark \
 *     [-Dimagesim.bench.fashion-mnist=/usr/share/datasets/fashion-mnist] \
 *     [-Dimagesim.bench.images-per-class=1500] [-Dimagesim.bench.epochs=3] [-Dimagesim.bench.learning-rate=0.001] \
 *     [-Dimagesim.bench.embedding-dim=64] \
 *     [-Dimagesim.bench.objectives=softmax,contrastive,triplet,center,autoencoder,denoising-autoencoder]
 * </pre>
 * An entry of {@code objectives} is an objective type, or {@code name=<objective JSON>} to compare
 * settings, e.g. {@code 'semi-hard={"type":"triplet","miner":"semi-hard"};batch-hard={"type":"triplet",
 * "miner":"batch-hard"}'} (entries are separated by {@code ;} or {@code ,}, so JSON entries use {@code ;}).
 * The table is printed and written to {@code target/benchmarks/objectives.md}.
 */
@Tag("benchmark")
class ObjectiveBenchmark {

    private static final String HELD_OUT = "[\"8\",\"9\"]";

    @TempDir
    Path dataDir;

    @Test
    void objectivesOnFashionMnist() throws IOException {
        Path fashion = FashionMnistJobs.directory();
        int perClass = Integer.getInteger("imagesim.bench.images-per-class", 1500);
        int epochs = Integer.getInteger("imagesim.bench.epochs", 3);
        double learningRate = Double.parseDouble(System.getProperty("imagesim.bench.learning-rate", "0.001"));
        int dimension = Integer.getInteger("imagesim.bench.embedding-dim", 64);
        String list = System.getProperty("imagesim.bench.objectives",
                "softmax,contrastive,triplet,center,autoencoder,denoising-autoencoder");
        List<String> objectives = List.of(list.split(list.contains("=") ? ";" : ","));

        IdxDataset test = IdxDataset.read(fashion.resolve("t10k-images-idx3-ubyte.gz"));
        List<BufferedImage> seen = new ArrayList<>();
        List<Integer> seenLabels = new ArrayList<>();
        List<BufferedImage> heldOut = new ArrayList<>();
        List<Integer> heldOutLabels = new ArrayList<>();
        for (int i = 0; i < test.size(); i++) {
            boolean held = test.label(i) >= 8;
            (held ? heldOut : seen).add(test.image(i));
            (held ? heldOutLabels : seenLabels).add(test.label(i));
        }

        List<String> rows = new ArrayList<>();
        try (RunningService service = FashionMnistJobs.service(dataDir, fashion)) {
            rows.add(row(service, "untrained (lr 1e-9, BN fitted)", "{\"type\":\"triplet\"}", 1, 100, 1e-9,
                    dimension, fashion, seen, seenLabels, heldOut, heldOutLabels));
            for (String entry : objectives) {
                int equals = entry.indexOf('=');
                String name = equals < 0 ? entry.trim() : entry.substring(0, equals).trim();
                String objective = equals < 0 ? "{\"type\":\"" + name + "\"}" : entry.substring(equals + 1);
                rows.add(row(service, name, objective, epochs, perClass, learningRate, dimension, fashion, seen,
                        seenLabels, heldOut, heldOutLabels));
            }
        }
        String table = "| objective | epochs | train samples/s | seen R@1 | seen MAP@R | held-out R@1 | held-out MAP@R "
                + "| wall s |\n|---|---|---|---|---|---|---|---|\n" + String.join("\n", rows) + "\n";
        String header = String.format(Locale.ROOT, "Fashion-MNIST, cnn 32 px grayscale, %d-d, P×K 8×16, Adam %s "
                + "with cosine decay, seed 42, %d training images per seen class; test: t10k, seen = classes 0–7 "
                + "(8000 images), held-out = 8, 9 (2000 images)%n%n", dimension, learningRate, perClass);
        System.out.println(header + table);
        Path out = Path.of("target/benchmarks/objectives.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, header + table);
    }

    private static String row(RunningService service, String name, String objective, int epochs, int perClass,
            double learningRate, int dimension, Path fashion, List<BufferedImage> seen, List<Integer> seenLabels,
            List<BufferedImage> heldOut, List<Integer> heldOutLabels) {
        String modelId = "bench-" + name.replaceAll("[^a-z-]", "") + "-" + epochs;
        String request = String.format(Locale.ROOT, """
                {"dataset":{"type":"idx","path":"%s","heldOutClasses":%s,"validationFraction":0.05,
                 "maxImagesPerClass":%d},
                 "trunk":{"architecture":"cnn","inputSize":32},"objective":%s,"embeddingDim":%d,"epochs":%d,
                 "batch":{"p":8,"k":16},"learningRate":%s,"seed":42,"modelId":"%s"}""",
                fashion.getFileName(), HELD_OUT, perClass, objective, dimension, epochs, learningRate, modelId);
        long started = System.nanoTime();
        JsonNode job = FashionMnistJobs.train(service, request);
        double wall = (System.nanoTime() - started) / 1e9;
        EmbeddingModel model = service.bean(EmbeddingModels.class).get(modelId);
        RetrievalMetrics onSeen = retrieval(model, seen, seenLabels);
        RetrievalMetrics onHeldOut = retrieval(model, heldOut, heldOutLabels);
        return String.format(Locale.ROOT, "| %s | %d | %.0f | %.3f | %.3f | %.3f | %.3f | %.0f |", name, epochs,
                job.get("samplesPerSecond").asDouble(), onSeen.recallAt1(), onSeen.mapAtR(), onHeldOut.recallAt1(),
                onHeldOut.mapAtR(), wall);
    }

    private static RetrievalMetrics retrieval(EmbeddingModel model, List<BufferedImage> images, List<Integer> labels) {
        float[][] vectors = new float[images.size()][];
        for (int start = 0; start < images.size(); start += 256) {
            float[][] batch = model.embed(images.subList(start, Math.min(images.size(), start + 256)));
            System.arraycopy(batch, 0, vectors, start, batch.length);
        }
        return RetrievalEvaluator.evaluate(vectors, labels.stream().mapToInt(Integer::intValue).toArray(),
                Distance.COSINE);
    }
}
