package dev.imagesim.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import java.awt.Color;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import tools.jackson.databind.JsonNode;

import dev.imagesim.ApiClient.Reply;
import dev.imagesim.Multipart;
import dev.imagesim.RunningService;
import dev.imagesim.TestImages;
import dev.imagesim.TestImages.ShapeKind;

/**
 * Bring your own vectors: a collection created with a dimension and no model takes JSON vectors, searches
 * by vector and id, compares stored pairs, survives a restart, and refuses what needs a model.
 */
class VectorCollectionTest {

    @TempDir
    Path dataDir;

    private static Reply putVector(RunningService service, String id, String vector, String metadata) {
        return service.request("PUT", "/api/v1/collections/v/images/" + id, "application/json",
                ("{\"vector\":" + vector + (metadata == null ? "" : ",\"metadata\":" + metadata) + "}").getBytes());
    }

    private static List<String> ids(Reply search) {
        List<String> ids = new ArrayList<>();
        for (JsonNode hit : search.json().get("results")) {
            ids.add(hit.get("id").asString());
        }
        return ids;
    }

    /** The same behaviour from every index type, the hnswlib-core one included. */
    @ParameterizedTest
    @ValueSource(strings = {"hnsw", "hnswlib", "exact"})
    void ownVectorsAreStoredSearchedComparedAndKept(String indexType) {
        try (RunningService service = RunningService.start(dataDir)) {
            Reply created = service.postJson("/api/v1/collections", "{\"name\":\"v\",\"dimension\":3,"
                    + "\"distance\":\"euclidean\",\"index\":{\"type\":\"" + indexType + "\"}}");
            assertThat(created.status()).isEqualTo(201);
            assertThat(created.json().get("model").isNull()).isTrue();
            assertThat(created.json().get("dimension").asInt()).isEqualTo(3);
            assertThat(created.json().at("/index/type").asString()).isEqualTo(indexType);
            assertThat(putVector(service, "origin", "[0,0,0]", "{\"kind\":\"a\"}").status()).isEqualTo(201);
            assertThat(putVector(service, "near", "[1,0,0]", "{\"kind\":\"b\"}").status()).isEqualTo(201);
            assertThat(putVector(service, "far", "[10,10,10]", "{\"kind\":\"a\"}").status()).isEqualTo(201);
            Reply replaced = putVector(service, "far", "[5,5,5]", "{\"kind\":\"a\"}");
            assertThat(replaced.status()).isEqualTo(200);
            assertThat(replaced.json().has("model")).isFalse();
            assertThat(replaced.json().has("width")).isFalse();

            Reply byVector = service.postJson("/api/v1/collections/v/search?k=3", "{\"vector\":[0.9,0.1,0]}");
            assertThat(ids(byVector)).containsExactly("near", "origin", "far");
            assertThat(byVector.json().at("/results/0/distance").asDouble()).isCloseTo(0.1414, offset(1e-3));
            assertThat(ids(service.postJson("/api/v1/collections/v/search?k=2", "{\"id\":\"origin\"}")))
                    .containsExactly("origin", "near");
            assertThat(ids(service.postJson("/api/v1/collections/v/search?k=3",
                    "{\"vector\":[0,0,0],\"filter\":{\"kind\":\"a\"}}"))).containsExactly("origin", "far");
            Reply similarity = service.postJson("/api/v1/similarity", "{\"collection\":\"v\",\"idA\":\"origin\",\"idB\":\"near\"}");
            assertThat(similarity.status()).isEqualTo(200);
            assertThat(similarity.json().get("distance").asDouble()).isCloseTo(1.0, offset(1e-6));
            assertThat(similarity.json().get("match").isNull() || !similarity.json().has("match")).isTrue();
            assertThat(service.get("/api/v1/collections/v/images/far?includeVector=true").json().get("vector"))
                    .extracting(JsonNode::asDouble).containsExactly(5.0, 5.0, 5.0);
            assertThat(service.delete("/api/v1/collections/v/images/near").status()).isEqualTo(204);
        }
        try (RunningService restarted = RunningService.start(dataDir)) {
            assertThat(restarted.get("/api/v1/collections/v").json().get("size").asInt()).isEqualTo(2);
            assertThat(ids(restarted.postJson("/api/v1/collections/v/search?k=1", "{\"vector\":[4,4,4]}")))
                    .containsExactly("far");
        }
    }

    /**
     * Search hits carry the metadata of the image's latest write, though the service keeps hits' metadata in
     * memory: after a change of metadata alone (the index keeps the node), a new vector, a delete and a new
     * write, and in a collection deleted and created again under the same name.
     */
    @Test
    void searchHitsShowTheLatestMetadata() {
        try (RunningService service = RunningService.start(dataDir)) {
            service.postJson("/api/v1/collections", "{\"name\":\"v\",\"dimension\":2}");
            putVector(service, "a", "[1,0]", "{\"n\":1}");
            putVector(service, "b", "[0,1]", "{\"n\":1}");
            assertThat(firstHit(service, "{\"vector\":[1,0]}").get("metadata").get("n").asInt()).isEqualTo(1);

            putVector(service, "a", "[1,0]", "{\"n\":2}");
            assertThat(firstHit(service, "{\"vector\":[1,0]}").get("metadata").get("n").asInt()).isEqualTo(2);
            assertThat(ids(service.postJson("/api/v1/collections/v/search?k=2",
                    "{\"vector\":[1,0],\"filter\":{\"n\":1}}"))).containsExactly("b");

            putVector(service, "a", "[1,0.01]", "{\"n\":3}");
            assertThat(firstHit(service, "{\"vector\":[1,0]}").get("metadata").get("n").asInt()).isEqualTo(3);
            service.delete("/api/v1/collections/v/images/a");
            assertThat(ids(service.postJson("/api/v1/collections/v/search?k=2", "{\"vector\":[1,0]}")))
                    .containsExactly("b");
            putVector(service, "a", "[1,0]", "{\"n\":4}");
            assertThat(firstHit(service, "{\"vector\":[1,0]}").get("metadata").get("n").asInt()).isEqualTo(4);

            assertThat(service.delete("/api/v1/collections/v").status()).isEqualTo(204);
            service.postJson("/api/v1/collections", "{\"name\":\"v\",\"dimension\":2}");
            putVector(service, "a", "[1,0]", "{\"n\":5}"); // sequence numbers start again
            JsonNode hit = firstHit(service, "{\"vector\":[1,0]}");
            assertThat(hit.get("id").asString()).isEqualTo("a");
            assertThat(hit.get("metadata").get("n").asInt()).isEqualTo(5);
        }
    }

    private static JsonNode firstHit(RunningService service, String query) {
        Reply search = service.postJson("/api/v1/collections/v/search?k=1", query);
        assertThat(search.status()).isEqualTo(200);
        return search.json().at("/results/0");
    }

    @Test
    void aBatchOfVectorsIsCheckedItemByItemAndStoredInOrder() {
        try (RunningService service = RunningService.start(dataDir)) {
            assertThat(service.postJson("/api/v1/collections", "{\"name\":\"v\",\"dimension\":2}").status()).isEqualTo(201);
            String batch = """
                    {"items":[{"id":"a","vector":[1,0],"metadata":{"n":1}},
                              {"id":"b","vector":[0,1]},
                              {"id":"bad","vector":[1,2,3]},
                              {"id":"../x","vector":[1,1]}]}""";
            Reply first = service.postJson("/api/v1/collections/v/images:batch", batch);
            assertThat(first.status()).isEqualTo(200);
            assertThat(first.json().get("created").asInt()).isEqualTo(2);
            assertThat(first.json().get("failed").asInt()).isEqualTo(2);
            assertThat(first.json().at("/items/2/error").asString()).startsWith("dimension-mismatch");
            assertThat(first.json().at("/items/3/error").asString()).startsWith("invalid-image-id");
            Reply again = service.postJson("/api/v1/collections/v/images:batch", batch);
            assertThat(again.json().get("updated").asInt()).isEqualTo(2);
            assertThat(service.get("/api/v1/collections/v").json().get("size").asInt()).isEqualTo(2);
            assertThat(service.get("/api/v1/collections/v/images/a").json().at("/metadata/n").asInt()).isEqualTo(1);

            Reply twice = service.postJson("/api/v1/collections/v/images:batch", """
                    {"items":[{"id":"c","vector":[1,1],"metadata":{"n":1}},
                              {"id":"c","vector":[-1,0.1],"metadata":{"n":2}}]}""");
            assertThat(twice.json().at("/items/0/status").asString()).isEqualTo("created");
            assertThat(twice.json().at("/items/1/status").asString()).isEqualTo("updated");
            assertThat(service.get("/api/v1/collections/v/images/c").json().at("/metadata/n").asInt())
                    .as("the later write of an id in one batch wins").isEqualTo(2);
            assertThat(ids(service.postJson("/api/v1/collections/v/search?k=1", "{\"vector\":[-1,0]}")))
                    .as("the index holds the later vector too").containsExactly("c");
            assertThat(service.get("/api/v1/collections/v").json().get("size").asInt()).isEqualTo(3);

            assertThat(service.postJson("/api/v1/collections", "{\"name\":\"images\"}").status()).isEqualTo(201);
            assertProblem(service.postJson("/api/v1/collections/images/images:batch", batch), 409,
                    "collection-embeds-images");
            assertProblem(service.postJson("/api/v1/collections/v/images:batch", "{\"items\":[]}"), 400,
                    "image-missing");
        }
    }

    /** A batch this large is inserted into the index by several threads at once. */
    @Test
    void aLargeBatchIsIndexedWholeAndKeptOverARestart() {
        Random random = new Random(3);
        StringBuilder batch = new StringBuilder("{\"items\":[");
        List<String> vectors = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            StringBuilder vector = new StringBuilder("[");
            for (int d = 0; d < 8; d++) {
                vector.append(d == 0 ? "" : ",").append(random.nextGaussian());
            }
            vectors.add(vector.append(']').toString());
            batch.append(i == 0 ? "" : ",").append("{\"id\":\"p").append(i).append("\",\"vector\":")
                    .append(vectors.get(i)).append('}');
        }
        String body = batch.append("]}").toString();
        for (int restart = 0; restart < 2; restart++) {
            try (RunningService service = RunningService.start(dataDir)) {
                if (restart == 0) {
                    service.postJson("/api/v1/collections", "{\"name\":\"v\",\"dimension\":8}");
                    assertThat(service.postJson("/api/v1/collections/v/images:batch", body).json().get("created")
                            .asInt()).isEqualTo(250);
                }
                assertThat(service.get("/api/v1/collections/v").json().get("size").asInt()).isEqualTo(250);
                for (int i = 0; i < 250; i += 3) {
                    assertThat(ids(service.postJson("/api/v1/collections/v/search?k=1",
                            "{\"vector\":" + vectors.get(i) + "}"))).as("vector %d finds itself", i)
                            .containsExactly("p" + i);
                }
            }
        }
    }

    /** With one search slot, concurrent searches queue for it and every one is answered. */
    @Test
    void searchesBeyondTheConcurrencyLimitWaitTheirTurn() throws Exception {
        try (RunningService service = RunningService.start(dataDir, "--imagesim.search.max-concurrent=1")) {
            service.postJson("/api/v1/collections", "{\"name\":\"v\",\"dimension\":2}");
            for (int i = 0; i < 50; i++) {
                putVector(service, "p" + i, "[" + Math.cos(i) + "," + Math.sin(i) + "]", null);
            }
            java.util.concurrent.ExecutorService clients = java.util.concurrent.Executors.newFixedThreadPool(8);
            try {
                List<java.util.concurrent.Future<List<String>>> searches = new ArrayList<>();
                for (int i = 0; i < 80; i++) {
                    int n = i % 50;
                    searches.add(clients.submit(() -> ids(service.postJson("/api/v1/collections/v/search?k=1",
                            "{\"vector\":[" + Math.cos(n) + "," + Math.sin(n) + "]}"))));
                }
                for (int i = 0; i < searches.size(); i++) {
                    assertThat(searches.get(i).get()).containsExactly("p" + i % 50);
                }
            } finally {
                clients.shutdown();
            }
        }
    }

    @Test
    void whatNeedsAModelOrTheRightShapeIsRefused() {
        try (RunningService service = RunningService.start(dataDir)) {
            assertThat(service.postJson("/api/v1/collections", "{\"name\":\"v\",\"dimension\":4}").status()).isEqualTo(201);
            assertThat(service.postJson("/api/v1/collections", "{\"name\":\"images\"}").status()).isEqualTo(201);
            byte[] png = TestImages.png(ShapeKind.CIRCLE, Color.RED);

            assertProblem(service.multipart("PUT", "/api/v1/collections/v/images/x", new Multipart().image("image", png)),
                    409, "collection-has-no-model");
            assertProblem(service.multipart("POST", "/api/v1/collections/v/images:batch", new Multipart().image("image", png)),
                    409, "collection-has-no-model");
            assertProblem(service.multipart("POST", "/api/v1/collections/v/search", new Multipart().image("image", png)),
                    409, "collection-has-no-model");
            assertProblem(service.postJson("/api/v1/collections/v/reindex", "{\"model\":\"fashion-mnist-cnn32-triplet-v2\"}"),
                    409, "collection-has-no-model");
            assertProblem(service.request("PUT", "/api/v1/collections/images/images/x", "application/json",
                    "{\"vector\":[1,2,3]}".getBytes()), 409, "collection-embeds-images");
            assertProblem(putVector(service, "x", "[1,2,3]", null), 400, "dimension-mismatch");
            assertProblem(putVector(service, "x", "[1,2,3,1e39]", null), 400, "vector-not-finite");
            assertProblem(putVector(service, "x", "[]", null), 400, "vector-missing");
            assertProblem(putVector(service, "x", "[1,2,3,4]", "[1]"), 400, "metadata-malformed");
            assertProblem(putVector(service, "..", "[1,2,3,4]", null), 400, "invalid-image-id");
            assertProblem(service.postJson("/api/v1/collections", "{\"name\":\"w\",\"dimension\":0}"), 400, "invalid-dimension");
            assertProblem(service.postJson("/api/v1/collections", "{\"name\":\"w\",\"dimension\":100000}"), 400,
                    "invalid-dimension");
            assertProblem(service.postJson("/api/v1/collections",
                    "{\"name\":\"w\",\"dimension\":4,\"model\":\"fashion-mnist-cnn32-triplet-v2\"}"), 400, "model-and-dimension");
            assertThat(service.get("/api/v1/collections/v").json().get("size").asInt()).isZero();
        }
    }

    private static void assertProblem(Reply reply, int status, String code) {
        assertThat(reply.status()).as(String.valueOf(reply.json())).isEqualTo(status);
        assertThat(reply.contentType()).startsWith("application/problem+json");
        assertThat(reply.json().get("code").asString()).isEqualTo(code);
    }
}
