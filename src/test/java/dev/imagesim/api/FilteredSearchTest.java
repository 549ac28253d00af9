package dev.imagesim.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.StringNode;

import dev.imagesim.ApiClient.Reply;
import dev.imagesim.RunningService;
import dev.imagesim.TestDatabase;
import dev.imagesim.catalog.Catalog;

/**
 * Metadata filters on a collection of 60,000 vectors: a value one image in 60,000 has, a value none has,
 * common values and combinations all answer the right hits at once, on H2 and on PostgreSQL (where reading
 * the metadata of tens of thousands of candidates in one query once exceeded the driver's 65,535 bind
 * parameters). Labels follow replacements and deletes.
 */
class FilteredSearchTest {

    private static final int SIZE = 60_000;
    private static final int BATCH = 1000;
    private static final int DIMENSION = 8;
    private static final int RARE = 31_337;

    @TempDir
    Path dataDir;

    @Test
    void rareMissingCommonAndCombinedFiltersAnswerBounded() {
        float[][] vectors = new float[SIZE][DIMENSION];
        Random random = new Random(3);
        for (float[] vector : vectors) {
            for (int d = 0; d < DIMENSION; d++) {
                vector[d] = random.nextFloat();
            }
        }
        try (RunningService service = RunningService.start(dataDir,
                "--imagesim.limits.max-images-per-request=" + BATCH)) {
            assertThat(service.postJson("/api/v1/collections",
                    "{\"name\":\"v\",\"dimension\":" + DIMENSION + ",\"distance\":\"euclidean\"}").status())
                    .isEqualTo(201);
            for (int from = 0; from < SIZE; from += BATCH) {
                assertThat(service.postJson("/api/v1/collections/v/images:batch", batch(vectors, from)).status())
                        .isEqualTo(200);
            }
            float[] query = vectors[RARE].clone();
            query[0] += 0.5f;

            assertThat(ids(search(service, query, 5, "{\"g\":\"rare\"}"))).containsExactly("v" + RARE);
            assertThat(ids(search(service, query, 5, "{\"g\":\"rare\",\"odd\":true}"))).containsExactly("v" + RARE);
            assertThat(ids(search(service, query, 5, "{\"g\":\"rare\",\"odd\":false}"))).isEmpty();
            assertThat(ids(search(service, query, 5, "{\"g\":\"nowhere\"}"))).isEmpty();
            assertThat(ids(search(service, query, 5, "{\"tags\":{\"a\":2,\"b\":[1,\"x\"]}}")))
                    .as("object values match whatever the order of their keys").containsExactly("v7");

            List<String> common = ids(search(service, query, 10, "{\"g\":\"c1\"}"));
            List<String> truth = IntStream.range(0, SIZE).filter(i -> i != RARE && i % 3 == 1).boxed()
                    .sorted((a, b) -> Double.compare(squared(query, vectors[a]), squared(query, vectors[b])))
                    .limit(10).map(i -> "v" + i).toList();
            assertThat(common).hasSize(10);
            assertThat(common.stream().filter(truth::contains).count()).isGreaterThanOrEqualTo(9);

            List<String> both = ids(search(service, query, 10, "{\"g\":\"c2\",\"odd\":false}"));
            assertThat(both).hasSize(10).allSatisfy(id -> {
                int i = Integer.parseInt(id.substring(1));
                assertThat(i % 3 == 2 && i % 2 == 0).as(id).isTrue();
            });

            assertThat(service.request("PUT", "/api/v1/collections/v/images/v" + RARE, "application/json",
                    ("{\"vector\":" + json(vectors[RARE]) + ",\"metadata\":{\"g\":\"c0\"}}").getBytes()).status())
                    .isEqualTo(200);
            assertThat(ids(search(service, query, 5, "{\"g\":\"rare\"}"))).isEmpty();
            assertThat(service.delete("/api/v1/collections/v/images/v7").status()).isEqualTo(204);
            assertThat(ids(search(service, query, 5, "{\"tags\":{\"a\":2,\"b\":[1,\"x\"]}}"))).isEmpty();

            List<String> many = IntStream.range(0, 40_000).mapToObj(i -> "v" + i).toList();
            assertThat(service.bean(Catalog.class).metadata("v", many))
                    .as("metadata of 40,000 ids: 80,000 keys in batched queries").hasSize(40_000 - 1);
        }
    }

    /** An id written twice in one batch keeps the labels of its last write only (and twice the same is fine). */
    @Test
    void anIdWrittenTwiceInOneBatchKeepsTheLabelsOfItsLastWrite() {
        try (RunningService service = RunningService.start(dataDir)) {
            service.postJson("/api/v1/collections", "{\"name\":\"v\",\"dimension\":2}");
            assertThat(service.postJson("/api/v1/collections/v/images:batch", """
                    {"items":[{"id":"a","vector":[1,0],"metadata":{"g":"x"}},
                              {"id":"a","vector":[1,0.1],"metadata":{"g":"x"}},
                              {"id":"b","vector":[0,1],"metadata":{"g":"x"}},
                              {"id":"b","vector":[0,1],"metadata":{"g":"y"}}]}""").status()).isEqualTo(200);
            Catalog catalog = service.bean(Catalog.class);
            assertThat(catalog.idsMatching("v", Map.of("g", StringNode.valueOf("x")), 10)).hasValue(List.of("a"));
            assertThat(catalog.idsMatching("v", Map.of("g", StringNode.valueOf("y")), 10)).hasValue(List.of("b"));
        }
    }

    /** A catalog written before labels existed gets them at the next start, and its filters find its images. */
    @Test
    void imagesStoredBeforeLabelsExistedAreLabelledAtStart() throws Exception {
        try (RunningService service = RunningService.start(dataDir)) {
            service.postJson("/api/v1/collections", "{\"name\":\"v\",\"dimension\":2}");
            service.postJson("/api/v1/collections/v/images:batch", """
                    {"items":[{"id":"a","vector":[1,0],"metadata":{"g":"x"}},
                              {"id":"b","vector":[0,1],"metadata":{"g":"y"}},
                              {"id":"c","vector":[1,1]}]}""");
        }
        try (Connection db = TestDatabase.connect(dataDir); Statement sql = db.createStatement()) {
            // back to schema version 3: undo V7, V6, then V4 (V5 only filled V4's table)
            sql.execute("DROP TABLE duplicate_groups");
            sql.execute("DROP TABLE duplicate_scans");
            sql.execute("DROP INDEX images_by_blob");
            sql.execute("ALTER TABLE images DROP COLUMN phash");
            sql.execute("DROP TABLE image_labels");
            sql.execute("DELETE FROM \"flyway_schema_history\" WHERE \"version\" IN ('4', '5', '6', '7')");
        }
        try (RunningService service = RunningService.start(dataDir)) {
            assertThat(ids(service.postJson("/api/v1/collections/v/search",
                    "{\"vector\":[1,1],\"filter\":{\"g\":\"y\"}}"))).containsExactly("b");
        }
    }

    private static String batch(float[][] vectors, int from) {
        StringBuilder json = new StringBuilder("{\"items\":[");
        for (int i = from; i < from + BATCH; i++) {
            String metadata = i == RARE ? "{\"g\":\"rare\",\"odd\":true}"
                    : i == 7 ? "{\"g\":\"c1\",\"odd\":true,\"tags\":{\"b\":[1,\"x\"],\"a\":2}}"
                    : "{\"g\":\"c" + i % 3 + "\",\"odd\":" + (i % 2 == 1) + "}";
            json.append(i == from ? "" : ",").append("{\"id\":\"v").append(i).append("\",\"vector\":")
                    .append(json(vectors[i])).append(",\"metadata\":").append(metadata).append('}');
        }
        return json.append("]}").toString();
    }

    private static String json(float[] vector) {
        StringBuilder json = new StringBuilder("[");
        for (int d = 0; d < vector.length; d++) {
            json.append(d == 0 ? "" : ",").append(vector[d]);
        }
        return json.append(']').toString();
    }

    private static Reply search(RunningService service, float[] query, int k, String filter) {
        Reply reply = service.postJson("/api/v1/collections/v/search",
                "{\"vector\":" + json(query) + ",\"k\":" + k + ",\"filter\":" + filter + "}");
        assertThat(reply.status()).as(filter).isEqualTo(200);
        return reply;
    }

    private static List<String> ids(Reply search) {
        List<String> ids = new ArrayList<>();
        for (JsonNode hit : search.json().get("results")) {
            ids.add(hit.get("id").asString());
        }
        return ids;
    }

    private static double squared(float[] a, float[] b) {
        double sum = 0;
        for (int d = 0; d < a.length; d++) {
            sum += (a[d] - b[d]) * (a[d] - b[d]);
        }
        return sum;
    }
}
