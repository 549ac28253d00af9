package dev.imagesim.bench;

import java.awt.image.BufferedImage;
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
import dev.imagesim.embedding.Preprocessor;
import dev.imagesim.model.ModelManifest;
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
 *     [-Dimagesim.bench.objectives='triplet;contrastive;center;softmax'] \
 *     [-Dimagesim.bench.pretrain='{"type":"self-supervised"}'] [-Dimagesim.bench.pretrain-epochs=10] \
 *     [-Dimagesim.bench.pretrain-request='"learningRate":0.001']
 * </pre>
 * An entry of {@code objectives} is an objective type (the service's defaults for it), or
 * {@code name=<objective JSON>}; entries are separated by {@code ;}. {@code request} adds fields to every
 * job's request; without it every setting the benchmark does not name is the service's default. With
 * {@code pretrain}, a job of that (unlabelled) objective first trains on all Fashion-MNIST train images, every
 * class included and no label read, and every objective then trains twice, from scratch and from its model
 * ({@code trunk.from}); the pre-trained model gets a row of its own ({@code pretrained}), and the train seconds
 * of each row that starts from it include the pre-training's.
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
        String pretrain = System.getProperty("imagesim.bench.pretrain");
        try (RunningService service = FashionMnistJobs.service(dataDir, fashion)) {
            rows.add(print(pixels(service, seen, unseen)));
            double pretrainSeconds = 0;
            if (pretrain != null) {
                JsonNode job = FashionMnistJobs.train(service, request(fashion, Set.of(), "{\"architecture\":\"cnn\"}",
                        pretrain, Integer.getInteger("imagesim.bench.pretrain-epochs", epochs()), PRETRAINED,
                        System.getProperty("imagesim.bench.pretrain-request", "")));
                pretrainSeconds = trainSeconds(job);
                rows.add(print(row(service, "pretrained", job, 0, seen, unseen)));
            }
            for (String entry : objectives) {
                int equals = entry.indexOf('=');
                String name = equals < 0 ? entry.trim() : entry.substring(0, equals).trim();
                String objective = equals < 0 ? "{\"type\":\"" + name + "\"}" : entry.substring(equals + 1);
                rows.add(print(row(service, name, job(service, fashion, heldOut, "{\"architecture\":\"cnn\"}",
                        objective, name), 0, seen, unseen)));
                if (pretrain != null) {
                    JsonNode job = job(service, fashion, heldOut, "{\"from\":\"" + PRETRAINED + "\"}", objective,
                            "pretrained-" + name);
                    rows.add(print(row(service, "pretrained+" + name, job, pretrainSeconds, seen, unseen)));
                }
            }
        }
        Path out = Path.of("target/benchmarks/objectives.tsv");
        Files.createDirectories(out.getParent());
        Files.writeString(out, String.join("\n", rows) + "\n");
    }

    private static final String PRETRAINED = "bench-pretrained";

    private static JsonNode job(RunningService service, Path fashion, Set<Integer> heldOut, String trunk,
            String objective, String name) {
        return FashionMnistJobs.train(service, request(fashion, heldOut, trunk, objective, epochs(),
                "bench-" + name.replaceAll("[^a-z0-9-]", ""), System.getProperty("imagesim.bench.request", "")));
    }

    /** The baseline: the default model's input (32 px, normalised) as the embedding. */
    private static String pixels(RunningService service, TestSplit seen, TestSplit unseen) {
        ModelManifest manifest = service.bean(EmbeddingModels.class).defaultModel().manifest();
        Preprocessor preprocessor = new Preprocessor(manifest);
        EmbeddingModel pixels = new EmbeddingModel() {
            @Override
            public ModelManifest manifest() {
                return manifest;
            }

            @Override
            public float[][] embed(List<BufferedImage> images) {
                return images.stream().map(preprocessor::toTensor).toArray(float[][]::new);
            }
        };
        RetrievalMetrics onSeen = seen.retrieval(pixels);
        RetrievalMetrics onUnseen = unseen.retrieval(pixels);
        return String.format(Locale.ROOT, "train\timagesim\tpixels\t\t%.4f\t%.4f\t%.4f\t%.4f\t\t\t",
                onSeen.recallAt1(), onSeen.mapAtR(), onUnseen.recallAt1(), onUnseen.mapAtR());
    }

    private static double trainSeconds(JsonNode job) {
        double seconds = 0;
        for (JsonNode epoch : job.get("evaluation")) {
            seconds += epoch.get("seconds").asDouble();
        }
        return seconds;
    }

    private static int epochs() {
        return Integer.getInteger("imagesim.bench.epochs", 3);
    }

    private static String print(String row) {
        System.out.println(row);
        return row;
    }

    private static String request(Path fashion, Set<Integer> heldOut, String trunk, String objective, int epochs,
            String modelId, String extra) {
        String perClass = System.getProperty("imagesim.bench.images-per-class");
        return String.format(Locale.ROOT, """
                {"dataset":{"type":"idx","path":"%s","heldOutClasses":[%s]%s},
                 "trunk":%s,"objective":%s,"embeddingDim":%d,"epochs":%d,
                 "batch":{"p":%d,"k":%d},"seed":%d,"modelId":"%s"%s}""",
                fashion.getFileName(),
                heldOut.stream().sorted().map(c -> "\"" + c + "\"").collect(Collectors.joining(",")),
                perClass == null ? "" : ",\"maxImagesPerClass\":" + perClass, trunk, objective,
                Integer.getInteger("imagesim.bench.embedding-dim", 64), epochs,
                Integer.getInteger("imagesim.bench.p", 6), Integer.getInteger("imagesim.bench.k", 16),
                Long.getLong("imagesim.bench.seed", 0), modelId, extra.isBlank() ? "" : "," + extra);
    }

    private String row(RunningService service, String name, JsonNode job, double earlierSeconds, TestSplit seen,
            TestSplit unseen) {
        double evaluationSeconds = 0;
        for (JsonNode epoch : job.get("evaluation")) {
            evaluationSeconds += epoch.path("evaluationSeconds").asDouble();
            System.out.printf(Locale.ROOT, "# %s epoch %d: loss %.6f, validation MAP@R %.4f, held-out MAP@R %.4f%n",
                    name, epoch.get("epoch").asInt(), epoch.get("loss").asDouble(),
                    epoch.path("seenClasses").path("mapAtR").asDouble(Double.NaN),
                    epoch.path("heldOutClasses").path("mapAtR").asDouble(Double.NaN));
        }
        EmbeddingModel model = service.bean(EmbeddingModels.class).get(job.get("modelId").asString());
        RetrievalMetrics onSeen = seen.retrieval(model);
        RetrievalMetrics onUnseen = unseen.retrieval(model);
        return String.format(Locale.ROOT, "train\timagesim\t%s\t%.1f\t%.4f\t%.4f\t%.4f\t%.4f\t%d\t%.1f\t%.1f", name,
                job.get("samplesPerSecond").asDouble(), onSeen.recallAt1(), onSeen.mapAtR(), onUnseen.recallAt1(),
                onUnseen.mapAtR(), job.path("selectedEpoch").asInt(), earlierSeconds + trainSeconds(job), evaluationSeconds);
    }
}
