package dev.imagesim.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ai.djl.Model;
import ai.djl.nn.Block;

import tools.jackson.databind.JsonNode;

import dev.imagesim.FashionMnistSubset;
import dev.imagesim.Multipart;
import dev.imagesim.RunningService;
import dev.imagesim.ApiClient.Reply;
import dev.imagesim.TestDatabase;
import dev.imagesim.TestBundles;
import dev.imagesim.TestImages;
import dev.imagesim.model.EmbeddingHead;
import dev.imagesim.model.ModelBundle;
import dev.imagesim.model.ModelLoader;
import dev.imagesim.model.ModelRegistry;
import dev.imagesim.model.TorchScriptStages;

/**
 * Training jobs over HTTP on the committed Fashion-MNIST training subset: submit and follow the events to
 * a new model, refuse bad requests, fail on a bad dataset, cancel, and resume after a restart.
 */
class TrainingJobTest {

    private static final String JOBS = "/api/v1/training-jobs";

    /** The data directory of the service most tests share; each test's jobs and models have their own ids. */
    @TempDir
    static Path sharedDir;
    static RunningService shared;

    /** A directory of its own, for a test that restarts the service or needs other settings. */
    @TempDir
    Path dataDir;

    @BeforeAll
    static void start() throws IOException {
        FashionMnistSubset.copyTrainingSet(sharedDir.resolve("datasets/fm"));
        shared = RunningService.start(sharedDir);
    }

    @AfterAll
    static void stop() {
        if (shared != null) { // null when the PostgreSQL run skipped the class
            shared.close();
        }
    }

    @BeforeEach
    void dataset() throws IOException {
        FashionMnistSubset.copyTrainingSet(dataDir.resolve("datasets/fm"));
    }

    private static String request(String objective, int epochs, String extra) {
        return """
                {"dataset":{"type":"idx","path":"fm","heldOutClasses":["8","9"]},
                 "trunk":{"architecture":"cnn","inputSize":28},
                 "objective":%s,"embeddingDim":32,"epochs":%d,"batch":{"p":4,"k":8},"seed":7%s}"""
                .formatted(objective, epochs, extra);
    }

    @Test
    void aJobReportsProgressAndInstallsAnEvaluatedModelWithAThreshold() {
        Reply submitted = shared.postJson(JOBS, request("{\"type\":\"triplet\",\"miner\":\"semi-hard\"}", 2,
                ",\"modelId\":\"fm-triplet\""));
        assertThat(submitted.status()).isEqualTo(202);
        String id = submitted.json().get("id").asString();
        assertThat(submitted.json().get("request").get("objective").get("margin").asDouble()).isEqualTo(0.2);

        List<JsonNode> events = shared.events(JOBS + "/" + id + "/events", Duration.ofMinutes(5));
        JsonNode last = events.get(events.size() - 1);
        assertThat(last.get("state").asString()).isEqualTo("succeeded");
        assertThat(last.get("percent").asDouble()).isEqualTo(100.0);
        assertThat(last.get("modelId").asString()).isEqualTo("fm-triplet");
        assertThat(last.get("lossHistory")).hasSize(2);
        assertThat(events.stream().filter(e -> e.get("state").asString().equals("running"))
                .map(e -> e.get("percent").asDouble()).toList()).isSorted().isNotEmpty();
        assertThat(last.get("evaluation").get(1).get("heldOutClasses").get("mapAtR").asDouble()).isPositive();

        JsonNode model = shared.get("/api/v1/models/fm-triplet").json();
        assertThat(model.get("trained").asBoolean()).isTrue();
        assertThat(model.get("verificationThreshold").isNumber()).isTrue();
        assertThat(model.get("evaluation").get("verification").get("rocAuc").asDouble()).isGreaterThan(0.5);

        List<FashionMnistSubset.Sample> samples = FashionMnistSubset.load();
        Reply similarity = shared.multipart("POST", "/api/v1/similarity?model=fm-triplet", new Multipart()
                .image("a", TestImages.encode(samples.get(0).image(), "png"))
                .image("b", TestImages.encode(samples.get(1).image(), "png")));
        assertThat(similarity.status()).isEqualTo(200);
        assertThat(similarity.json().get("match").isBoolean()).isTrue();
        assertThat(similarity.json().get("model").asString()).isEqualTo("fm-triplet");
    }

    @Test
    void aCollectionWithLabelsInItsMetadataIsADataset() {
        assertThat(shared.postJson("/api/v1/collections", "{\"name\":\"shop\"}").status()).isEqualTo(201);
        List<FashionMnistSubset.Sample> samples = FashionMnistSubset.load();
        for (FashionMnistSubset.Sample s : samples.subList(0, 90)) {
            String metadata = s.index() % 10 == 0 ? "{}" : "{\"kind\":\"class-" + s.label() + "\"}";
            assertThat(shared.multipart("PUT", "/api/v1/collections/shop/images/" + s.id(), new Multipart()
                    .image("image", TestImages.encode(s.image(), "png")).field("metadata", metadata)).status())
                    .isEqualTo(201);
        }
        Reply submitted = shared.postJson(JOBS, """
                {"dataset":{"type":"collection","path":"shop","labelKey":"kind","heldOutClasses":["class-2","class-3"]},
                 "trunk":{"architecture":"cnn","inputSize":28,"channels":1},
                 "objective":{"type":"contrastive"},"epochs":1,"batch":{"p":2,"k":4}}""");
        assertThat(submitted.status()).isEqualTo(202);
        JsonNode done = await(shared, submitted.json().get("id").asString(),
                job -> job.get("state").asString().equals("succeeded"));
        long heldOut = samples.subList(0, 90).stream().filter(s -> (s.label() == 2 || s.label() == 3) && s.index() % 10 != 0).count();
        assertThat(done.get("evaluation").get(0).get("heldOutClasses").get("queries").asLong()).isEqualTo(heldOut);
        assertProblem(shared.postJson(JOBS, """
                {"dataset":{"type":"collection","path":"nope"},"objective":{"type":"softmax"}}"""), 404,
                "collection-not-found");
    }

    @Test
    void badRequestsAreRefusedBeforeAnythingIsQueued() {
        int jobsBefore = shared.get(JOBS).json().size();
        assertProblem(shared.postJson(JOBS, request("{\"type\":\"telepathy\"}", 1, "")), 400, "body-malformed");
        assertProblem(shared.postJson(JOBS, request("{\"type\":\"triplet\"}", 1, "")
                .replace("\"fm\"", "\"../../etc\"")), 400, "dataset-path-outside-root");
        assertProblem(shared.postJson(JOBS, request("{\"type\":\"triplet\"}", 1, "")
                .replace("\"fm\"", "\"missing\"")), 404, "dataset-not-found");
        assertProblem(shared.postJson(JOBS, request("{\"type\":\"triplet\"}", 0, "")), 400,
                "training-request-invalid");
        assertProblem(shared.postJson(JOBS, request("{\"type\":\"triplet\"}", 1,
                ",\"trunk\":{\"from\":\"no-such-model\"}").replace("\"trunk\":{\"architecture\":\"cnn\",\"inputSize\":28},", "")),
                404, "model-not-found");
        assertProblem(shared.postJson(JOBS, request("{\"type\":\"triplet\"}", 1, ",\"device\":\"gpu\"")), 422,
                "gpu-unavailable");
        assertProblem(shared.get(JOBS + "/nope"), 404, "training-job-not-found");
        assertThat(shared.get(JOBS).json()).as("nothing queued").hasSize(jobsBefore);
    }

    @Test
    void aTorchScriptTrunkIsFineTunedIntoANewTorchScriptModel() throws Exception {
        Path fixture = Path.of(getClass().getResource("/models/tiny-torchscript/manifest.json").toURI()).getParent();
        Path installed = Files.createDirectories(sharedDir.resolve("models/tiny-torchscript"));
        for (String file : List.of("manifest.json", "trunk.pt")) {
            Files.copy(fixture.resolve(file), installed.resolve(file));
        }
        String request = """
                {"dataset":{"type":"idx","path":"fm","maxImagesPerClass":20,"heldOutClasses":["8","9"]},
                 "trunk":{"from":"tiny-torchscript"%s},"objective":{"type":"triplet"},"epochs":1,
                 "batch":{"p":4,"k":4},"modelId":"tiny-tuned"%s}""";
        Reply tooDeep = shared.postJson(JOBS, request.formatted(",\"freezeStages\":3", ""));
        assertProblem(tooDeep, 400, "training-request-invalid");
        assertThat(tooDeep.json().get("detail").asString()).as("its stages: conv, fc").contains("[0, 2]");
        Reply submitted = shared.postJson(JOBS, request.formatted("", ""));
        assertThat(submitted.status()).as(String.valueOf(submitted.json())).isEqualTo(202);
        JsonNode done = await(shared, submitted.json().get("id").asString(),
                job -> job.get("state").asString().equals("succeeded"));
        assertThat(done.get("request").get("trunk").get("backboneLearningRateMultiplier").asDouble())
                .isEqualTo(0.1);

        JsonNode model = shared.get("/api/v1/models/tiny-tuned").json();
        assertThat(model.get("architecture").asString()).isEqualTo("torchscript");
        assertThat(model.get("parent").asString()).isEqualTo("tiny-torchscript");
        assertThat(sharedDir.resolve("models/tiny-tuned/model.pt")).isRegularFile();
        byte[] image = TestImages.encode(FashionMnistSubset.load().get(0).image(), "png");
        JsonNode tuned = shared.multipart("POST", "/api/v1/embeddings?model=tiny-tuned",
                new Multipart().image("image", image)).json();
        JsonNode original = shared.multipart("POST", "/api/v1/embeddings?model=tiny-torchscript",
                new Multipart().image("image", image)).json();
        assertThat(tuned.get("dimension").asInt()).isEqualTo(16);
        assertThat(tuned.get("embeddings").get(0)).isNotEqualTo(original.get("embeddings").get(0));
    }

    @Test
    void anImportedTrunkIsFineTunedUnderANewHeadWithItsFirstStagesFrozen() throws Exception {
        Multipart bundle = new Multipart().file("bundle", "b.zip", "application/zip",
                TestBundles.zip(TestBundles.EXPORTED_TINY));
        assertThat(shared.multipart("POST", "/api/v1/models", bundle).status()).isEqualTo(201);
        String request = """
                {"dataset":{"type":"idx","path":"fm","maxImagesPerClass":20,"heldOutClasses":["8","9"]},
                 "trunk":{"from":"test-tiny","freezeStages":%d},"objective":{"type":"triplet"},"epochs":1,
                 "embeddingDim":16,"batch":{"p":4,"k":4},"modelId":"tiny-headed"}""";
        Multipart onnx = new Multipart().file("bundle", "b.zip", "application/zip",
                TestBundles.zip(Path.of("src/test/resources/models/exported-tiny-onnx")));
        assertThat(shared.multipart("POST", "/api/v1/models", onnx).status()).isEqualTo(201);
        assertProblem(shared.postJson(JOBS, request.formatted(0).replace("\"test-tiny\"", "\"test-tiny-onnx\"")),
                422, "model-not-trainable");
        Reply tooDeep = shared.postJson(JOBS, request.formatted(4));
        assertProblem(tooDeep, 400, "training-request-invalid");
        assertThat(tooDeep.json().get("detail").asString()).as("stem and two stages").contains("[0, 3]");
        Reply submitted = shared.postJson(JOBS, request.formatted(2));
        assertThat(submitted.status()).as(String.valueOf(submitted.json())).isEqualTo(202);
        await(shared, submitted.json().get("id").asString(), job -> job.get("state").asString().equals("succeeded"));

        ModelRegistry registry = shared.bean(ModelRegistry.class);
        ModelBundle tuned = registry.find("tiny-headed").orElseThrow();
        assertThat(tuned.manifest().head()).isEqualTo(new EmbeddingHead(32, EmbeddingHead.FILE));
        assertThat(tuned.manifest().mean()).as("the imported preprocessing").containsExactly(0.5f, 0.5f, 0.5f);
        assertThat(tuned.manifest().resizeSize()).isEqualTo(36);
        ModelLoader loader = shared.bean(ModelLoader.class);
        try (Model before = loader.load(registry.find("test-tiny").orElseThrow()); Model after = loader.load(tuned)) {
            Map<String, float[]> original = parameters(TorchScriptStages.trunkOf(before.getBlock()));
            Map<String, float[]> trained = parameters(TorchScriptStages.trunkOf(after.getBlock()));
            assertThat(trained.keySet()).isEqualTo(original.keySet());
            original.forEach((name, values) -> {
                boolean frozen = name.startsWith("0.") || name.startsWith("1.");
                boolean batchNormStatistic = name.contains("running_") || name.contains("num_batches");
                if (frozen) {
                    assertThat(trained.get(name)).as(name + " is in a frozen stage").containsExactly(values);
                } else if (!batchNormStatistic && name.endsWith("weight")) {
                    assertThat(trained.get(name)).as(name + " trained").isNotEqualTo(values);
                }
            });
        }
        byte[] image = TestImages.encode(FashionMnistSubset.load().get(0).image(), "png");
        JsonNode embedded = shared.multipart("POST", "/api/v1/embeddings?model=tiny-headed",
                new Multipart().image("image", image)).json();
        assertThat(embedded.get("dimension").asInt()).isEqualTo(16);
    }

    private static Map<String, float[]> parameters(Block block) {
        Map<String, float[]> values = new TreeMap<>();
        block.getParameters().forEach(p -> values.put(p.getKey(), p.getValue().getArray().toFloatArray()));
        return values;
    }

    @Test
    void theOpenApiDocumentDescribesTrainingAndReindexing() {
        JsonNode docs = shared.get("/v3/api-docs").json();
        assertThat(docs.get("paths").propertyNames()).contains(JOBS, JOBS + "/{id}", JOBS + "/{id}/events",
                JOBS + "/{id}/resume", "/api/v1/collections/{name}/reindex");
        JsonNode request = docs.get("components").get("schemas").get("TrainingRequest");
        assertThat(request.get("example").get("objective").get("type").asString()).isEqualTo("triplet");
        assertThat(docs.get("paths").get(JOBS + "/{id}/events").get("get").get("responses").get("200")
                .get("content").propertyNames()).contains("text/event-stream");
    }

    @Test
    void aBadImageInTheDatasetFailsTheJobWithAClearError() throws IOException {
        Path folder = Files.createDirectories(sharedDir.resolve("datasets/folder"));
        List<FashionMnistSubset.Sample> samples = FashionMnistSubset.load();
        for (int i = 0; i < 40; i++) {
            Path classDir = Files.createDirectories(folder.resolve("class-" + samples.get(i * 7).label()));
            Files.write(classDir.resolve(i + ".png"), TestImages.encode(samples.get(i * 7).image(), "png"));
        }
        Files.writeString(folder.resolve("class-0/broken.png"), "not an image", StandardCharsets.UTF_8);
        Reply submitted = shared.postJson(JOBS, """
                {"dataset":{"type":"imagefolder","path":"folder","validationFraction":0},
                 "trunk":{"architecture":"cnn","inputSize":16,"channels":1},
                 "objective":{"type":"softmax"},"epochs":3,"batch":{"p":2,"k":4}}""");
        assertThat(submitted.status()).isEqualTo(202);
        JsonNode failed = await(shared, submitted.json().get("id").asString(), job -> job.get("state").asString()
                .equals("failed"));
        assertThat(failed.get("error").asString()).contains("broken.png");
        assertThat(shared.get("/api/v1/models/" + failed.get("modelId").asString()).status()).isEqualTo(404);
        assertThat(shared.multipart("POST", "/api/v1/embeddings", new Multipart().image("image",
                TestImages.encode(samples.get(0).image(), "png"))).status()).as("serving after the failure")
                .isEqualTo(200);
    }

    @Test
    void jobsBeyondTheQueueLimitAreRefusedUntilOneEnds() {
        try (RunningService service = RunningService.start(dataDir, "--imagesim.training.max-queued-jobs=2")) {
            String first = service.postJson(JOBS, request("{\"type\":\"softmax\"}", 200, "")).json().get("id").asString();
            String second = service.postJson(JOBS, request("{\"type\":\"softmax\"}", 200, "")).json().get("id").asString();
            assertProblem(service.postJson(JOBS, request("{\"type\":\"softmax\"}", 1, "")), 429, "training-queue-full");
            assertThat(service.delete(JOBS + "/" + second).status()).isEqualTo(202);
            await(service, second, job -> job.get("state").asString().equals("cancelled"));
            Reply third = service.postJson(JOBS, request("{\"type\":\"softmax\"}", 200, ""));
            assertThat(third.status()).isEqualTo(202);
            for (String id : List.of(first, third.json().get("id").asString())) {
                service.delete(JOBS + "/" + id);
                await(service, id, job -> job.get("state").asString().equals("cancelled"));
            }
        }
    }

    @Test
    void cancellingARunningJobStopsItWithoutAModel() {
        String id = shared.postJson(JOBS, request("{\"type\":\"contrastive\"}", 200, "")).json().get("id").asString();
        await(shared, id, job -> job.get("iteration").asInt() > 0);
        Reply cancelled = shared.delete(JOBS + "/" + id);
        assertThat(cancelled.status()).isEqualTo(202);
        JsonNode job = await(shared, id, j -> j.get("state").asString().equals("cancelled"));
        assertThat(shared.get("/api/v1/models/" + job.get("modelId").asString()).status()).isEqualTo(404);
        assertProblem(shared.delete(JOBS + "/" + id), 409, "training-job-finished");
        assertThat(sharedDir.resolve("training/" + id)).doesNotExist();
    }

    @Test
    void aJobStoppedByARestartIsInterruptedAndResumesFromItsCheckpoint() throws SQLException {
        String id;
        double firstEpochLoss;
        try (RunningService service = RunningService.start(dataDir)) {
            id = service.postJson(JOBS, request("{\"type\":\"center\"}", 5, "")).json().get("id").asString();
            JsonNode afterOne = await(service, id, job -> job.get("lossHistory").size() >= 1);
            firstEpochLoss = afterOne.get("lossHistory").get(0).asDouble();
        }
        // a crash leaves the row as it was while training; the next start must treat it as interrupted too
        try (Connection db = TestDatabase.connect(dataDir);
                Statement sql = db.createStatement()) {
            try (var row = sql.executeQuery("SELECT state FROM training_jobs WHERE id = '" + id + "'")) {
                assertThat(row.next()).isTrue();
                assertThat(row.getString(1)).as("state after a graceful stop").isEqualTo("INTERRUPTED");
            }
            assertThat(sql.executeUpdate("UPDATE training_jobs SET state = 'RUNNING' WHERE id = '" + id + "'"))
                    .isEqualTo(1);
        }
        try (RunningService service = RunningService.start(dataDir)) {
            JsonNode interrupted = service.get(JOBS + "/" + id).json();
            assertThat(interrupted.get("state").asString()).isEqualTo("interrupted");
            assertThat(service.postJson(JOBS + "/" + id + "/resume", "").status()).isEqualTo(202);
            JsonNode done = await(service, id, job -> job.get("state").asString().equals("succeeded"));
            assertThat(done.get("lossHistory")).hasSize(5);
            assertThat(done.get("lossHistory").get(0).asDouble()).isEqualTo(firstEpochLoss);
            assertProblem(service.postJson(JOBS + "/" + id + "/resume", ""), 409, "training-job-not-interrupted");
            assertThat(service.get("/api/v1/models/" + done.get("modelId").asString()).status()).isEqualTo(200);
        }
    }

    private static JsonNode await(RunningService service, String id, Predicate<JsonNode> condition) {
        return service.awaitJob(id, condition, Duration.ofMinutes(5));
    }

    private static void assertProblem(Reply reply, int status, String code) {
        assertThat(reply.status()).as(String.valueOf(reply.json())).isEqualTo(status);
        assertThat(reply.contentType()).startsWith("application/problem+json");
        assertThat(reply.json().get("code").asString()).isEqualTo(code);
    }
}
