package dev.imagesim.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tools.jackson.databind.JsonNode;

import dev.imagesim.RunningService;
import dev.imagesim.embedding.EmbeddingModel;
import dev.imagesim.embedding.EmbeddingModels;
import dev.imagesim.model.RetrievalMetrics;

/**
 * Trains each objective on Fashion-MNIST through the service's own training jobs, then measures retrieval on
 * the t10k test images through the installed model, as serving embeds them: the classes trained on, and the
 * held-out classes that training never saw (by default 6–9, trained on 0–5). Each row goes to standard output
 * as a tab-separated line in the format of {@code bench/pytorch_train_bench.py}, the PyTorch peer that
 * {@code bench/train-bench.sh} runs beside it. Not a test.
 *
 * <pre>
 * ./mvnw -Pbench test -Dtest=ObjectiveBenchmark \
 *     [-Dimagesim.bench.fashion-mnist=/usr/share/datasets/fashion-mnist] [-Dimagesim.bench.held-out=6,7,8,9] \
 *     [-Dimagesim.bench.epochs=3] [-Dimagesim.bench.p=6] [-Dimagesim.bench.k=16] [-Dimagesim.bench.seed=0] \
 *     [-Dimagesim.bench.embedding-dim=64] [-Dimagesim.bench.images-per-class=N] \
 *     [-Dimagesim.bench.request='"learningRate":0.001,"schedule":"constant"'] \
 *     [-Dimagesim.bench.objectives='triplet;contrastive;center;softmax']
 * </pre>
 * An entry of {@code objectives} is an objective type (the service's defaults for it), or
 * {@code name=<objective JSON>}; entries are separated by {@code ;}. {@code request} adds fields to every
 * job's request; without it every setting the benchmark does not name is the service's default.
 */
@Tag("benchmark")
class ObjectiveBenchmark {

    @TempDir
    Path dataDir;

    @Test
    void objectivesOnFashionMnist() throws IOException {
        Path fashion = FashionMnistJobs.directory();
        Set<Integer> heldOut = Arrays.stream(System.getProperty("imagesim.bench.held-out", "6,7,8,9").split(","))
                .map(String::trim).map(Integer::valueOf).collect(Collectors.toSet());
        List<String> objectives = List.of(System.getProperty("imagesim.bench.objectives",
                "triplet;contrastive;center;softmax").split(";"));

        TestSplit seen = TestSplit.of(fashion, label -> !heldOut.contains(label));
        TestSplit unseen = TestSplit.of(fashion, heldOut::contains);
        List<String> rows = new ArrayList<>();
        try (RunningService service = FashionMnistJobs.service(dataDir, fashion)) {
            for (String entry : objectives) {
                int equals = entry.indexOf('=');
                String name = equals < 0 ? entry.trim() : entry.substring(0, equals).trim();
                String objective = equals < 0 ? "{\"type\":\"" + name + "\"}" : entry.substring(equals + 1);
                String row = row(service, name, objective, heldOut, fashion, seen, unseen);
                System.out.println(row);
                rows.add(row);
            }
        }
        Path out = Path.of("target/benchmarks/objectives.tsv");
        Files.createDirectories(out.getParent());
        Files.writeString(out, String.join("\n", rows) + "\n");
    }

    private String row(RunningService service, String name, String objective, Set<Integer> heldOut, Path fashion,
            TestSplit seen, TestSplit unseen) {
        String modelId = "bench-" + name.replaceAll("[^a-z0-9-]", "");
        String extra = System.getProperty("imagesim.bench.request", "");
        String perClass = System.getProperty("imagesim.bench.images-per-class");
        String request = String.format(Locale.ROOT, """
                {"dataset":{"type":"idx","path":"%s","heldOutClasses":[%s]%s},
                 "trunk":{"architecture":"cnn"},"objective":%s,"embeddingDim":%d,"epochs":%d,
                 "batch":{"p":%d,"k":%d},"seed":%d,"modelId":"%s"%s}""",
                fashion.getFileName(),
                heldOut.stream().sorted().map(c -> "\"" + c + "\"").collect(Collectors.joining(",")),
                perClass == null ? "" : ",\"maxImagesPerClass\":" + perClass, objective,
                Integer.getInteger("imagesim.bench.embedding-dim", 64), Integer.getInteger("imagesim.bench.epochs", 3),
                Integer.getInteger("imagesim.bench.p", 6), Integer.getInteger("imagesim.bench.k", 16),
                Long.getLong("imagesim.bench.seed", 0), modelId, extra.isBlank() ? "" : "," + extra);
        JsonNode job = FashionMnistJobs.train(service, request);
        double trainSeconds = 0;
        double evaluationSeconds = 0;
        for (JsonNode epoch : job.get("evaluation")) {
            trainSeconds += epoch.get("seconds").asDouble();
            evaluationSeconds += epoch.path("evaluationSeconds").asDouble();
            System.out.printf(Locale.ROOT, "# %s epoch %d: loss %.6f, validation MAP@R %.4f, held-out MAP@R %.4f%n",
                    name, epoch.get("epoch").asInt(), epoch.get("loss").asDouble(),
                    epoch.path("seenClasses").path("mapAtR").asDouble(Double.NaN),
                    epoch.path("heldOutClasses").path("mapAtR").asDouble(Double.NaN));
        }
        EmbeddingModel model = service.bean(EmbeddingModels.class).get(modelId);
        RetrievalMetrics onSeen = seen.retrieval(model);
        RetrievalMetrics onUnseen = unseen.retrieval(model);
        return String.format(Locale.ROOT, "train\timagesim\t%s\t%.1f\t%.4f\t%.4f\t%.4f\t%.4f\t%d\t%.1f\t%.1f", name,
                job.get("samplesPerSecond").asDouble(), onSeen.recallAt1(), onSeen.mapAtR(), onUnseen.recallAt1(),
                onUnseen.mapAtR(), job.path("selectedEpoch").asInt(), trainSeconds, evaluationSeconds);
    }
}
