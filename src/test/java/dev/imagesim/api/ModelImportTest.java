package dev.imagesim.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.imagesim.ApiClient.Reply;
import dev.imagesim.Multipart;
import dev.imagesim.RunningService;
import dev.imagesim.TestBundles;

/**
 * Model bundles through {@code POST /api/v1/models}: the bundle {@code scripts/export_trunk.py} made of its
 * test trunk (committed under {@code models/exported-tiny}) imports in one call and serves, and a corpus of
 * broken, hostile and oversized bundles is refused with the problem each deserves, leaving nothing behind.
 */
class ModelImportTest {

    private static final Path FIXTURE = TestBundles.EXPORTED_TINY;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    static Path dataDir;

    private static RunningService service;

    @BeforeAll
    static void start() {
        service = RunningService.start(dataDir, "--imagesim.model.max-bundle-size=2MB");
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    @Test
    void anExportedBundleImportsInOneCallAndServesUntilDeleted() throws IOException {
        Reply imported = upload(TestBundles.zip(FIXTURE));
        assertThat(imported.status()).as(String.valueOf(imported.json())).isEqualTo(201);
        assertThat(imported.json().get("id").asString()).isEqualTo("test-tiny");
        assertThat(imported.json().get("architecture").asString()).isEqualTo("torchscript");
        assertThat(imported.json().get("embeddingDim").asInt()).isEqualTo(32);
        assertThat(service.get("/api/v1/models/test-tiny").status()).isEqualTo(200);

        Reply embedded = service.multipart("POST", "/api/v1/embeddings?model=test-tiny",
                new Multipart().image("image", Files.readAllBytes(FIXTURE.resolve("probe.png"))));
        assertThat(embedded.status()).isEqualTo(200);
        JsonNode expected = JSON.readTree(FIXTURE.resolve("expected.json").toFile()).get("embedding");
        JsonNode actual = embedded.json().get("embeddings").get(0);
        for (int i = 0; i < 32; i++) {
            assertThat(actual.get(i).asDouble()).as("component " + i + " as PyTorch computed it")
                    .isCloseTo(expected.get(i).asDouble(), within(2e-3));
        }

        assertThat(service.postJson("/api/v1/collections", "{\"name\":\"photos\",\"model\":\"test-tiny\"}").status())
                .isEqualTo(201);
        Reply inUse = service.delete("/api/v1/models/test-tiny");
        assertThat(inUse.status()).isEqualTo(409);
        assertThat(inUse.json().get("code").asString()).isEqualTo("model-in-use");
        assertThat(inUse.json().get("detail").asString()).contains("collection 'photos'");
        assertThat(service.delete("/api/v1/collections/photos").status()).isEqualTo(204);
        assertThat(service.delete("/api/v1/models/test-tiny").status()).isEqualTo(204);
        assertThat(service.get("/api/v1/models/test-tiny").status()).isEqualTo(404);
        assertThat(service.multipart("POST", "/api/v1/embeddings?model=test-tiny",
                new Multipart().image("image", Files.readAllBytes(FIXTURE.resolve("probe.png")))).status())
                .isEqualTo(404);

        Map<String, byte[]> inFolder = new LinkedHashMap<>();
        TestBundles.files(FIXTURE).forEach((name, bytes) -> inFolder.put("resnet-export/" + name, bytes));
        assertThat(upload(TestBundles.zip(inFolder)).status()).as("again, from one folder of the zip").isEqualTo(201);
        assertThat(service.delete("/api/v1/models/test-tiny").status()).isEqualTo(204);
        assertNothingStaged();
    }

    @Test
    void anOnnxBundleImportsAndServesThroughOnnxRuntime() throws IOException {
        Path onnx = Path.of("src/test/resources/models/exported-tiny-onnx");
        Reply imported = upload(TestBundles.zip(onnx));
        assertThat(imported.status()).as(String.valueOf(imported.json())).isEqualTo(201);
        assertThat(imported.json().get("architecture").asString()).isEqualTo("onnx");
        Reply embedded = service.multipart("POST", "/api/v1/embeddings?model=test-tiny-onnx",
                new Multipart().image("image", Files.readAllBytes(onnx.resolve("probe.png"))));
        JsonNode expected = JSON.readTree(onnx.resolve("expected.json").toFile()).get("embedding");
        for (int i = 0; i < 32; i++) {
            assertThat(embedded.json().get("embeddings").get(0).get(i).asDouble())
                    .isCloseTo(expected.get(i).asDouble(), within(2e-3));
        }
        assertThat(service.delete("/api/v1/models/test-tiny-onnx").status()).isEqualTo(204);
    }

    @Test
    void theDefaultModelAndUnknownModelsCannotBeDeleted() {
        String defaultId = service.get("/api/v1/models").json().get(0).get("id").asString();
        Reply refused = service.delete("/api/v1/models/" + defaultId);
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json().get("code").asString()).isEqualTo("model-is-default");
        assertThat(service.delete("/api/v1/models/no-such-model").json().get("code").asString())
                .isEqualTo("model-not-found");
        Reply noPart = service.multipart("POST", "/api/v1/models", new Multipart().field("other", "{}"));
        assertThat(noPart.status()).isEqualTo(400);
        assertThat(noPart.json().get("code").asString()).isEqualTo("bundle-missing");
    }

    static Stream<Arguments> badBundles() {
        return Stream.of(
                bad("zip-slip", 400, "zip-entry-unsafe", files -> with(files, "../model.pt", files.get("model.pt"))),
                bad("absolute path", 400, "zip-entry-unsafe", files -> with(files, "/etc/model.pt", new byte[1])),
                bad("nested folders", 422, "bundle-layout", files -> prefixed(files, "a/b/")),
                bad("two folders", 422, "bundle-layout", files -> with(files, "other/README.md", new byte[1])),
                bad("no manifest", 422, "bundle-layout", files -> without(files, "manifest.json")),
                bad("a script", 422, "bundle-unknown-file", files -> with(files, "run.sh", new byte[1])),
                bad("safetensors weights", 415, "bundle-format-unsupported",
                        files -> with(files, "model.safetensors", new byte[1])),
                bad("weights of another kind", 415, "bundle-format-unsupported", files -> manifest(
                        with(without(files, "model.pt"), "model.params", files.get("model.pt")),
                        m -> m.replace("\"model.pt\"", "\"model.params\""))),
                bad("weights named but absent", 422, "bundle-layout",
                        files -> manifest(files, m -> m.replace("\"model.pt\"", "\"other.pt\""))),
                bad("weights not named", 422, "bundle-layout", files -> with(files, "spare.pt", files.get("model.pt"))),
                bad("unknown manifest field", 422, "manifest-invalid",
                        files -> manifest(files, m -> m.replace("{", "{\"colour\":\"blue\","))),
                bad("manifest not JSON", 422, "manifest-invalid", files -> manifest(files, m -> "{")),
                bad("two channels", 422, "manifest-invalid",
                        files -> manifest(files, m -> m.replace("\"channels\": 3", "\"channels\": 2"))),
                bad("id escaping the models folder", 422, "manifest-invalid",
                        files -> manifest(files, m -> m.replace("\"test-tiny\"", "\"../escape\""))),
                bad("wrong dimension", 422, "bundle-dimension-mismatch",
                        files -> manifest(files, m -> m.replace("\"embeddingDim\": 32", "\"embeddingDim\": 16"))),
                bad("other preprocessing than the exporter's", 422, "bundle-probe-mismatch",
                        files -> manifest(files, m -> m.replace("\"std\": [\n    0.25", "\"std\": [\n    0.3"))),
                bad("probe without its embedding", 422, "bundle-layout", files -> without(files, "expected.json")),
                bad("not TorchScript", 422, "bundle-load-failed",
                        files -> with(files, "model.pt", "a pickled state dict".getBytes(StandardCharsets.UTF_8))),
                bad("zip bomb", 413, "bundle-too-large", files -> with(files, "model.pt", new byte[3 << 20])),
                bad("too many files", 413, "bundle-too-many-files", ModelImportTest::manyFiles),
                bad("the default model's id", 409, "model-exists", files -> manifest(files,
                        m -> m.replace("\"test-tiny\"", "\"fashion-mnist-cnn32-triplet-v2\""))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badBundles")
    void aBadBundleIsRefusedWithItsProblemAndLeavesNothingBehind(String name, int status, String code,
            UnaryOperator<Map<String, byte[]>> breakIt) throws IOException {
        int models = service.get("/api/v1/models").json().size();
        Reply refused = upload(TestBundles.zip(breakIt.apply(TestBundles.files(FIXTURE))));
        assertThat(refused.status()).as(String.valueOf(refused.json())).isEqualTo(status);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.json().get("code").asString()).isEqualTo(code);
        assertThat(service.get("/api/v1/models").json().size()).isEqualTo(models);
        assertNothingStaged();
    }

    @Test
    void bytesThatAreNoZipAreRefused() {
        Reply refused = upload("definitely not a zip".getBytes(StandardCharsets.UTF_8));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().get("code").asString()).isEqualTo("zip-corrupt");
    }

    private static Arguments bad(String name, int status, String code, UnaryOperator<Map<String, byte[]>> breakIt) {
        return Arguments.of(name, status, code, breakIt);
    }

    private static Map<String, byte[]> with(Map<String, byte[]> files, String name, byte[] bytes) {
        Map<String, byte[]> out = new LinkedHashMap<>(files);
        out.put(name, bytes);
        return out;
    }

    private static Map<String, byte[]> without(Map<String, byte[]> files, String name) {
        Map<String, byte[]> out = new LinkedHashMap<>(files);
        out.remove(name);
        return out;
    }

    private static Map<String, byte[]> prefixed(Map<String, byte[]> files, String prefix) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        files.forEach((name, bytes) -> out.put(prefix + name, bytes));
        return out;
    }

    private static Map<String, byte[]> manifest(Map<String, byte[]> files, UnaryOperator<String> edit) {
        String edited = edit.apply(new String(files.get("manifest.json"), StandardCharsets.UTF_8));
        assertThat(edited.equals(new String(files.get("manifest.json"), StandardCharsets.UTF_8)))
                .as("the edit changes the manifest").isFalse();
        return with(files, "manifest.json", edited.getBytes(StandardCharsets.UTF_8));
    }

    private static Map<String, byte[]> manyFiles(Map<String, byte[]> files) {
        Map<String, byte[]> out = new LinkedHashMap<>(files);
        for (int i = 0; i < 20; i++) {
            out.put("note" + i + ".txt", new byte[1]);
        }
        return out;
    }

    private static Reply upload(byte[] bundle) {
        return service.multipart("POST", "/api/v1/models",
                new Multipart().file("bundle", "bundle.zip", "application/zip", bundle));
    }

    private static void assertNothingStaged() throws IOException {
        try (Stream<Path> entries = Files.list(dataDir.resolve("models"))) {
            assertThat(entries.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("."));
        }
    }
}
