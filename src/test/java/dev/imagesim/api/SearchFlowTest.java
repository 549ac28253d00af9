package dev.imagesim.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tools.jackson.databind.JsonNode;

import dev.imagesim.FashionMnistSubset;
import dev.imagesim.FashionMnistSubset.Sample;
import dev.imagesim.Multipart;
import dev.imagesim.RunningService;
import dev.imagesim.ApiClient.Reply;
import dev.imagesim.TestImages;
import dev.imagesim.TestImages.ShapeKind;
import dev.imagesim.vector.Distance;

/** End to end over HTTP on the real engine and index: ingest Fashion-MNIST and shapes, search, compare, delete. */
class SearchFlowTest {

    @TempDir
    static Path dataDir;
    static RunningService service;
    static List<Sample> samples;

    @BeforeAll
    static void ingest() {
        service = RunningService.start(dataDir);
        samples = FashionMnistSubset.load();
        assertThat(service.postJson("/api/v1/collections", "{\"name\":\"fashion\"}").status()).isEqualTo(201);
        for (int start = 0; start < samples.size(); start += 100) {
            Multipart batch = new Multipart();
            StringBuilder metadata = new StringBuilder("{");
            for (Sample s : samples.subList(start, start + 100)) {
                batch.file("image", s.id() + ".png", "image/png", TestImages.encode(s.image(), "png"));
                metadata.append(metadata.length() > 1 ? "," : "").append('"').append(s.id())
                        .append("\":{\"label\":").append(s.label()).append('}');
            }
            batch.field("metadata", metadata.append('}').toString());
            Reply reply = service.multipart("POST", "/api/v1/collections/fashion/images:batch", batch);
            assertThat(reply.status()).isEqualTo(200);
            assertThat(reply.json().get("created").asInt()).isEqualTo(100);
            assertThat(reply.json().get("failed").asInt()).isZero();
        }
    }

    @AfterAll
    static void stop() {
        if (service != null) { // null when the PostgreSQL run skipped the class
            service.close();
        }
    }

    @Test
    void everyImageFindsItselfFirst() {
        for (Sample s : samples.subList(0, 300).stream().filter(x -> x.index() % 15 == 0).toList()) {
            Reply reply = service.multipart("POST", "/api/v1/collections/fashion/search?k=3",
                    new Multipart().image("image", TestImages.encode(s.image(), "png")));
            assertThat(reply.status()).isEqualTo(200);
            JsonNode first = reply.json().get("results").get(0);
            assertThat(first.get("id").asString()).isEqualTo(s.id());
            assertThat(first.get("distance").asDouble()).isLessThan(1e-4);
            assertThat(first.get("metadata").get("label").asInt()).isEqualTo(s.label());
        }
    }

    @Test
    void sameClassNeighboursComeFirstFarMoreOftenThanChance() {
        int sameClass = 0;
        for (Sample s : samples) {
            Reply reply = service.postJson("/api/v1/collections/fashion/search",
                    "{\"id\":\"" + s.id() + "\",\"k\":2}");
            JsonNode nearestOther = reply.json().get("results").get(1);
            if (nearestOther.get("metadata").get("label").asInt() == s.label()) {
                sameClass++;
            }
        }
        double precisionAt1 = sameClass / (double) samples.size();
        // chance is 0.1 with ten balanced classes; the shipped default is trained on Fashion-MNIST's
        // training split (these are test images), so it should be well above the 0.5 of its untrained start
        assertThat(precisionAt1).isGreaterThan(0.7);
    }

    @Test
    void metadataFilterKeepsOnlyMatchingImages() {
        Sample query = samples.get(0);
        int otherLabel = (query.label() + 1) % 10;
        Reply reply = service.postJson("/api/v1/collections/fashion/search",
                "{\"id\":\"" + query.id() + "\",\"k\":5,\"filter\":{\"label\":" + otherLabel + "}}");
        assertThat(reply.json().get("results")).hasSize(5);
        for (JsonNode hit : reply.json().get("results")) {
            assertThat(hit.get("metadata").get("label").asInt()).isEqualTo(otherLabel);
        }
    }

    @Test
    void similarityOfAnImageWithItselfIsMaximal() {
        byte[] a = TestImages.encode(samples.get(3).image(), "png");
        byte[] b = TestImages.encode(samples.get(200).image(), "png");
        JsonNode self = service.multipart("POST", "/api/v1/similarity",
                new Multipart().image("a", a).image("b", a)).json();
        JsonNode other = service.multipart("POST", "/api/v1/similarity",
                new Multipart().image("a", a).image("b", b)).json();
        assertThat(self.get("distance").asDouble()).isLessThan(1e-5);
        assertThat(self.get("similarity").asDouble()).isGreaterThan(other.get("similarity").asDouble());
        assertThat(self.get("match").asBoolean()).isTrue(); // the default's calibrated threshold admits itself
        assertThat(self.get("threshold").asDouble()).isPositive();

        JsonNode stored = service.postJson("/api/v1/similarity",
                "{\"collection\":\"fashion\",\"idA\":\"fm-3\",\"idB\":\"fm-3\"}").json();
        assertThat(stored.get("similarity").asDouble()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
    }

    @Test
    void embeddingsComeBackInPartOrder() {
        byte[] red = TestImages.png(ShapeKind.CIRCLE, Color.RED);
        byte[] blue = TestImages.png(ShapeKind.SQUARE, Color.BLUE);
        Reply reply = service.multipart("POST", "/api/v1/embeddings",
                new Multipart().image("image", red).image("image", blue).image("image", red));
        assertThat(reply.status()).isEqualTo(200);
        int defaultDimension = service.get("/api/v1/models").json().get(0).get("embeddingDim").asInt();
        assertThat(reply.json().get("dimension").asInt()).isEqualTo(defaultDimension);
        JsonNode e = reply.json().get("embeddings");
        assertThat(e).hasSize(3);
        // the three may run as shares of different sizes on different threads: equal up to float rounding
        assertThat(distance(e.get(0), e.get(2))).isLessThan(1e-5f);
        assertThat(distance(e.get(0), e.get(1))).isGreaterThan(1e-3f);
    }

    private static float distance(JsonNode a, JsonNode b) {
        return Distance.COSINE.between(vector(a), vector(b));
    }

    private static float[] vector(JsonNode values) {
        float[] vector = new float[values.size()];
        for (int i = 0; i < vector.length; i++) {
            vector[i] = values.get(i).floatValue();
        }
        return vector;
    }

    @Test
    void deletedImagesDisappearFromResults() {
        assertThat(service.postJson("/api/v1/collections", "{\"name\":\"shapes\",\"index\":{\"type\":\"exact\"}}")
                .status()).isEqualTo(201);
        Map<String, byte[]> shapes = Map.of(
                "red-circle", TestImages.png(ShapeKind.CIRCLE, Color.RED),
                "blue-square", TestImages.png(ShapeKind.SQUARE, Color.BLUE),
                "green-triangle", TestImages.png(ShapeKind.TRIANGLE, Color.GREEN));
        shapes.forEach((id, png) -> assertThat(service.multipart("PUT", "/api/v1/collections/shapes/images/" + id,
                new Multipart().image("image", png).field("metadata", "{\"shape\":\"" + id + "\"}")).status())
                .isEqualTo(201));
        assertThat(service.multipart("PUT", "/api/v1/collections/shapes/images/red-circle",
                new Multipart().image("image", shapes.get("red-circle"))).status()).isEqualTo(200);

        assertThat(service.delete("/api/v1/collections/shapes/images/red-circle").status()).isEqualTo(204);
        Reply search = service.multipart("POST", "/api/v1/collections/shapes/search?k=10",
                new Multipart().image("image", shapes.get("red-circle")));
        assertThat(search.json().get("results")).extracting(hit -> hit.get("id").asString())
                .containsExactlyInAnyOrder("blue-square", "green-triangle");
        assertThat(service.get("/api/v1/collections/shapes/images/red-circle").status()).isEqualTo(404);
        assertThat(service.get("/api/v1/collections/shapes").json().get("size").asInt()).isEqualTo(2);
    }
}
