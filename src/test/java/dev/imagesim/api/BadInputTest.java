package dev.imagesim.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tools.jackson.databind.JsonNode;

import dev.imagesim.Multipart;
import dev.imagesim.RunningService;
import dev.imagesim.ApiClient.Reply;
import dev.imagesim.TestImages;
import dev.imagesim.TestImages.ShapeKind;

/**
 * Each bad input gets the right 4xx as problem+json with a code, the server stays up, and the stored data
 * is unchanged.
 */
class BadInputTest {

    @TempDir
    static Path dataDir;
    static RunningService service;
    static final byte[] RED = TestImages.png(ShapeKind.CIRCLE, Color.RED);

    @BeforeAll
    static void start() {
        service = RunningService.start(dataDir, "--imagesim.limits.max-image-size=300KB",
                "--imagesim.limits.max-image-pixels=1000000", "--imagesim.limits.max-k=100",
                "--imagesim.limits.max-metadata-size=1KB", "--imagesim.limits.max-images-per-request=4");
        assertThat(service.postJson("/api/v1/collections", "{\"name\":\"c\"}").status()).isEqualTo(201);
        assertThat(service.multipart("PUT", "/api/v1/collections/c/images/kept",
                new Multipart().image("image", RED).field("metadata", "{\"a\":1}")).status()).isEqualTo(201);
    }

    @AfterAll
    static void stop() {
        if (service != null) { // null when the PostgreSQL run skipped the class
            service.close();
        }
    }

    private static Reply refused(Supplier<Reply> request, int status, String code) {
        JsonNode before = service.get("/api/v1/collections").json();
        Reply reply = request.get();
        assertThat(reply.status()).as("status of a request refused with %s", code).isEqualTo(status);
        assertThat(reply.contentType()).startsWith("application/problem+json");
        if (code != null) {
            assertThat(reply.json().get("code").asString()).isEqualTo(code);
        }
        assertThat(reply.json().get("detail").asString()).isNotBlank();
        assertThat(service.get("/api/v1/collections").json()).isEqualTo(before);
        assertThat(service.get("/api/v1/collections/c/images/kept").json().get("metadata").get("a").asInt()).isEqualTo(1);
        return reply;
    }

    private static Reply put(String id, byte[] image) {
        return service.multipart("PUT", "/api/v1/collections/c/images/" + id, new Multipart().image("image", image));
    }

    @Test
    void textIsNotAnImage() {
        refused(() -> put("x", "hello, not an image".getBytes(StandardCharsets.UTF_8)), 415, "image-unsupported");
    }

    @Test
    void emptyImage() {
        refused(() -> put("x", new byte[0]), 400, "image-empty");
    }

    @Test
    void truncatedPng() {
        refused(() -> put("x", Arrays.copyOf(RED, RED.length / 2)), 422, "image-corrupt");
    }

    @Test
    void truncatedJpeg() {
        byte[] jpeg = TestImages.encode(TestImages.shape(ShapeKind.STRIPES, Color.BLACK, 200, 0), "jpeg");
        refused(() -> put("x", Arrays.copyOf(jpeg, jpeg.length / 2)), 422, "image-corrupt");
    }

    @Test
    void imageOverTheByteLimit() {
        BufferedImage noise = new BufferedImage(400, 400, BufferedImage.TYPE_INT_RGB);
        java.util.Random random = new java.util.Random(1);
        for (int y = 0; y < 400; y++) {
            for (int x = 0; x < 400; x++) {
                noise.setRGB(x, y, random.nextInt());
            }
        }
        refused(() -> put("x", TestImages.encode(noise, "png")), 413, "image-too-large");
    }

    @Test
    void imageOverThePixelLimitIsRefusedFromItsHeader() {
        byte[] big = TestImages.encode(new BufferedImage(1200, 1000, BufferedImage.TYPE_BYTE_GRAY), "png");
        refused(() -> put("x", big), 413, "image-too-many-pixels");
    }

    @Test
    void wrongContentType() {
        refused(() -> service.postJson("/api/v1/embeddings", "{\"image\":\"abc\"}"), 415, null);
    }

    @Test
    void missingImagePart() {
        refused(() -> service.multipart("PUT", "/api/v1/collections/c/images/x",
                new Multipart().field("metadata", "{}")), 400, null);
    }

    @Test
    void tooManyImagesInOneRequest() {
        Multipart five = new Multipart();
        for (int i = 0; i < 5; i++) {
            five.image("image", RED);
        }
        refused(() -> service.multipart("POST", "/api/v1/embeddings", five), 413, "too-many-images");
    }

    @Test
    void unknownCollectionAndImage() {
        refused(() -> service.multipart("PUT", "/api/v1/collections/nope/images/x",
                new Multipart().image("image", RED)), 404, "collection-not-found");
        refused(() -> service.get("/api/v1/collections/c/images/nope"), 404, "image-not-found");
        refused(() -> service.delete("/api/v1/collections/c/images/nope"), 404, "image-not-found");
        refused(() -> service.postJson("/api/v1/collections/c/search", "{\"id\":\"nope\"}"), 404, "image-not-found");
        refused(() -> service.get("/api/v1/models/nope"), 404, "model-not-found");
    }

    @Test
    void wrongVectorDimension() {
        refused(() -> service.postJson("/api/v1/collections/c/search", "{\"vector\":[1,2,3]}"), 400,
                "dimension-mismatch");
    }

    @Test
    void nonFiniteVectors() {
        String overflow = "[" + "1e39," .repeat(127) + "1]";
        refused(() -> service.postJson("/api/v1/collections/c/search", "{\"vector\":" + overflow + "}"), 400,
                "vector-not-finite");
        refused(() -> service.postJson("/api/v1/collections/c/search", "{\"vector\":[NaN]}"), 400, "body-malformed");
    }

    @Test
    void kOutOfRange() {
        refused(() -> service.postJson("/api/v1/collections/c/search", "{\"id\":\"kept\",\"k\":0}"), 400,
                "k-out-of-range");
        refused(() -> service.postJson("/api/v1/collections/c/search?k=101", "{\"id\":\"kept\"}"), 400,
                "k-out-of-range");
        refused(() -> service.multipart("POST", "/api/v1/collections/c/search?k=-1",
                new Multipart().image("image", RED)), 400, "k-out-of-range");
    }

    @Test
    void malformedMetadata() {
        refused(() -> service.multipart("PUT", "/api/v1/collections/c/images/kept",
                new Multipart().image("image", RED).field("metadata", "{\"a\":")), 400, "metadata-malformed");
        refused(() -> service.multipart("PUT", "/api/v1/collections/c/images/kept",
                new Multipart().image("image", RED).field("metadata", "[1,2]")), 400, "metadata-malformed");
        refused(() -> service.multipart("PUT", "/api/v1/collections/c/images/kept",
                new Multipart().image("image", RED).field("metadata", "{\"a\":\"" + "x".repeat(2000) + "\"}")),
                413, "metadata-too-large");
    }

    @Test
    void duplicateCollection() {
        refused(() -> service.postJson("/api/v1/collections", "{\"name\":\"c\"}"), 409, "collection-exists");
    }

    @Test
    void invalidNames() {
        refused(() -> service.postJson("/api/v1/collections", "{\"name\":\"../etc\"}"), 400, "invalid-collection-name");
        refused(() -> put("bad%20id", RED), 400, "invalid-image-id");
        refused(() -> put(".hidden", RED), 400, "invalid-image-id");
    }

    @Test
    void jsonBodiesAreBoundedWithOrWithoutAContentLength() {
        byte[] big = ("{\"name\":\"big\",\"pad\":\"" + "x".repeat(1_100_000) + "\"}").getBytes(StandardCharsets.UTF_8);
        refused(() -> service.request("POST", "/api/v1/collections", "application/json", big), 413, "body-too-large");
        refused(() -> service.postChunked("/api/v1/collections", big), 413, "body-too-large");
        Reply small = service.postChunked("/api/v1/collections", "{\"name\":\"chunked\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(small.status()).isEqualTo(201);
        assertThat(service.delete("/api/v1/collections/chunked").status()).isEqualTo(204);
    }

    @Test
    void misspeltFieldsAreRefusedByName() {
        Reply collection = refused(() -> service.postJson("/api/v1/collections",
                "{\"name\":\"d\",\"distanse\":\"l2\"}"), 400, "request-field-unknown");
        assertThat(collection.json().get("detail").asString()).contains("'distanse'", "distance");
        Reply job = refused(() -> service.postJson("/api/v1/training-jobs", """
                {"dataset":{"type":"idx","path":"fm"},"objective":{"type":"triplet","mining":"batch-hard"}}"""),
                400, "request-field-unknown");
        assertThat(job.json().get("detail").asString()).contains("'objective.mining'", "miner");
        assertThat(service.get("/api/v1/training-jobs").json()).isEmpty();
    }

    @Test
    void malformedJsonBody() {
        refused(() -> service.postJson("/api/v1/collections", "{not json"), 400, "body-malformed");
    }
}
