package dev.imagesim.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tools.jackson.databind.JsonNode;

import dev.imagesim.ApiClient.Reply;
import dev.imagesim.RunningService;

/**
 * A collection's default ef chosen from a target recall: a weak graph (M=6, efConstruction=12) over
 * 24-d Gaussian vectors (hard for HNSW) needs a larger ef than k; tuning finds one that reaches the target,
 * sets it as the default, and a restart keeps it.
 */
class IndexTuningTest {

    @TempDir
    Path dataDir;

    @Test
    void tuningSetsTheSmallestEfThatReachesTheTarget() {
        try (RunningService service = RunningService.start(dataDir)) {
            assertThat(service.postJson("/api/v1/collections", """
                    {"name":"v","dimension":24,"distance":"euclidean",
                     "index":{"type":"hnsw","m":6,"efConstruction":12,"ef":8}}""").status()).isEqualTo(201);
            Random random = new Random(5);
            float[][] stored = new float[1500][];
            for (int i = 0; i < stored.length; i++) {
                stored[i] = gaussian(random, 24);
                assertThat(service.request("PUT", "/api/v1/collections/v/images/i" + i, "application/json",
                        ("{\"vector\":" + Arrays.toString(stored[i]) + "}").getBytes(StandardCharsets.UTF_8))
                        .status()).isEqualTo(201);
            }
            Reply dryRun = service.postJson("/api/v1/collections/v/index/tune",
                    "{\"targetRecall\":1.0,\"k\":10,\"sampleSize\":150,\"maxEf\":14,\"apply\":false}");
            assertThat(dryRun.status()).as(String.valueOf(dryRun.json())).isEqualTo(200);
            assertThat(efsTried(dryRun.json())).as("k, the ladder below maxEf, maxEf")
                    .containsExactly(10, 12, 14);
            assertThat(dryRun.json().get("ef").asInt()).isEqualTo(14);
            assertThat(dryRun.json().get("reached").asBoolean()).isFalse();
            assertThat(dryRun.json().get("applied").asBoolean()).isFalse();
            assertThat(service.get("/api/v1/collections/v").json().at("/index/ef").asInt())
                    .as("a dry run leaves the default").isEqualTo(8);
            Reply tuned = service.postJson("/api/v1/collections/v/index/tune",
                    "{\"targetRecall\":0.95,\"k\":10,\"sampleSize\":150}");
            assertThat(tuned.status()).isEqualTo(200);
            JsonNode result = tuned.json();
            System.out.println("ef tuning: " + result);
            JsonNode sweep = result.get("sweep");
            assertThat(result.get("reached").asBoolean()).isTrue();
            assertThat(result.get("applied").asBoolean()).isTrue();
            assertThat(result.get("recall").asDouble()).isGreaterThanOrEqualTo(0.95);
            assertThat(result.get("sample").asInt()).isEqualTo(150);
            assertThat(sweep.get(0).get("ef").asInt()).isEqualTo(10);
            assertThat(sweep.get(0).get("recall").asDouble()).as("the weak graph at ef = k").isLessThan(0.8);
            assertThat(sweep.get(sweep.size() - 1).get("ef").asInt()).isEqualTo(result.get("ef").asInt());
            for (int i = 0; i < sweep.size() - 1; i++) {
                assertThat(sweep.get(i).get("recall").asDouble()).isLessThan(0.95);
            }
            assertThat(service.get("/api/v1/collections/v").json().at("/index/ef").asInt())
                    .isEqualTo(result.get("ef").asInt());
            assertThat(recallOfNewQueries(service, "v", stored, random))
                    .as("recall@10 at the tuned ef of queries that are not stored vectors").isGreaterThan(0.9);
        }
        try (RunningService restarted = RunningService.start(dataDir)) {
            JsonNode collection = restarted.get("/api/v1/collections/v").json();
            assertThat(collection.at("/index/ef").asInt()).isGreaterThan(10);
            assertThat(collection.get("size").asInt()).isEqualTo(1500);
        }
    }

    /**
     * A stored vector searched for finds itself, and through its own links its neighbours: as queries, the
     * collection's own vectors promise more recall than new ones get. On 64-d Gaussian vectors (the default
     * graph, M=16) the tuned ef must hold for queries the index has never seen.
     */
    @Test
    void theTunedRecallHoldsForQueriesThatAreNotStored() {
        try (RunningService service = RunningService.start(dataDir)) {
            assertThat(service.postJson("/api/v1/collections", "{\"name\":\"g\",\"dimension\":64,\"distance\":\"euclidean\"}").status())
                    .isEqualTo(201);
            Random random = new Random(11);
            float[][] stored = new float[3000][];
            for (int from = 0; from < stored.length; from += 250) {
                StringBuilder items = new StringBuilder();
                for (int i = from; i < from + 250; i++) {
                    stored[i] = gaussian(random, 64);
                    items.append(i == from ? "" : ",").append("{\"id\":\"i").append(i).append("\",\"vector\":")
                            .append(Arrays.toString(stored[i])).append('}');
                }
                Reply batch = service.postJson("/api/v1/collections/g/images:batch", "{\"items\":[" + items + "]}");
                assertThat(batch.status()).as(String.valueOf(batch.json())).isEqualTo(200);
            }
            Reply tuned = service.postJson("/api/v1/collections/g/index/tune", "{\"targetRecall\":0.9,\"k\":10}");
            assertThat(tuned.status()).as(String.valueOf(tuned.json())).isEqualTo(200);
            assertThat(tuned.json().get("reached").asBoolean()).isTrue();
            assertThat(recallOfNewQueries(service, "g", stored, random))
                    .as("recall@10 of new queries at the tuned ef %d (tuning's own vectors as they are: 0.825)",
                            tuned.json().get("ef").asInt())
                    .isGreaterThan(0.87);
        }
    }

    @Test
    void whatCannotBeTunedIsRefused() {
        try (RunningService service = RunningService.start(dataDir)) {
            service.postJson("/api/v1/collections", "{\"name\":\"exact\",\"dimension\":2,\"index\":{\"type\":\"exact\"}}");
            service.postJson("/api/v1/collections", "{\"name\":\"empty\",\"dimension\":2}");
            assertCode(service.postJson("/api/v1/collections/exact/index/tune", "{}"), 409, "index-exact");
            assertCode(service.postJson("/api/v1/collections/empty/index/tune", "{}"), 409, "collection-too-small");
            putVector(service, "empty", "a", "[1,0]");
            assertCode(service.postJson("/api/v1/collections/empty/index/tune", "{}"), 409, "collection-too-small");
            putVector(service, "empty", "b", "[0,1]");
            Reply two = service.postJson("/api/v1/collections/empty/index/tune", "{}");
            assertThat(two.status()).as(String.valueOf(two.json())).isEqualTo(200);
            assertThat(two.json().get("recall").asDouble()).as("each of two vectors finds the other").isEqualTo(1.0);
            assertCode(service.postJson("/api/v1/collections/empty/index/tune", "{\"targetRecall\":1.5}"), 400,
                    "target-recall-out-of-range");
            assertCode(service.postJson("/api/v1/collections/empty/index/tune", "{\"sampleSize\":0}"), 400,
                    "sample-out-of-range");
            assertCode(service.postJson("/api/v1/collections/empty/index/tune", "{\"k\":10,\"maxEf\":9}"), 400,
                    "max-ef-out-of-range");
            assertCode(service.postJson("/api/v1/collections/empty/index/tune", "{\"maxEf\":4097}"), 400,
                    "max-ef-out-of-range");
            assertCode(service.postJson("/api/v1/collections/nope/index/tune", "{}"), 404, "collection-not-found");
        }
    }

    @Test
    void anEfSetByHandIsTheDefaultAfterARestart() {
        try (RunningService service = RunningService.start(dataDir)) {
            service.postJson("/api/v1/collections", "{\"name\":\"v\",\"dimension\":2}");
            service.postJson("/api/v1/collections", "{\"name\":\"exact\",\"dimension\":2,\"index\":{\"type\":\"exact\"}}");
            putVector(service, "v", "a", "[1,0]");
            Reply set = putJson(service, "/api/v1/collections/v/index/ef", "{\"ef\":77}");
            assertThat(set.status()).as(String.valueOf(set.json())).isEqualTo(200);
            assertThat(set.json().at("/index/ef").asInt()).isEqualTo(77);
            assertThat(set.json().get("size").asInt()).isEqualTo(1);
            Reply search = service.postJson("/api/v1/collections/v/search", "{\"vector\":[1,0.1],\"k\":1}");
            assertThat(search.json().at("/results/0/id").asString()).isEqualTo("a");
            assertCode(putJson(service, "/api/v1/collections/v/index/ef", "{\"ef\":0}"), 400, "ef-out-of-range");
            assertCode(putJson(service, "/api/v1/collections/v/index/ef", "{\"ef\":4097}"), 400, "ef-out-of-range");
            assertCode(putJson(service, "/api/v1/collections/v/index/ef", "{}"), 400, "ef-missing");
            assertCode(putJson(service, "/api/v1/collections/exact/index/ef", "{\"ef\":10}"), 409, "index-exact");
            assertCode(putJson(service, "/api/v1/collections/nope/index/ef", "{\"ef\":10}"), 404,
                    "collection-not-found");
        }
        try (RunningService restarted = RunningService.start(dataDir)) {
            assertThat(restarted.get("/api/v1/collections/v").json().at("/index/ef").asInt()).isEqualTo(77);
        }
    }

    /**
     * Mean recall@10 of 200 new Gaussian queries searched at the collection's default ef, against their
     * exact top 10 among the stored vectors.
     */
    private static double recallOfNewQueries(RunningService service, String collection, float[][] stored,
            Random random) {
        int found = 0;
        int queries = 200;
        for (int q = 0; q < queries; q++) {
            float[] query = gaussian(random, stored[0].length);
            Set<String> exact = IntStream.range(0, stored.length).boxed()
                    .sorted(Comparator.comparingDouble(i -> squaredDistance(query, stored[i]))).limit(10)
                    .map(i -> "i" + i).collect(Collectors.toSet());
            Reply reply = service.postJson("/api/v1/collections/" + collection + "/search",
                    "{\"vector\":" + Arrays.toString(query) + ",\"k\":10}");
            for (JsonNode hit : reply.json().get("results")) {
                found += exact.contains(hit.get("id").asString()) ? 1 : 0;
            }
        }
        return found / (10.0 * queries);
    }

    private static float[] gaussian(Random random, int dimension) {
        float[] vector = new float[dimension];
        for (int d = 0; d < vector.length; d++) {
            vector[d] = (float) random.nextGaussian();
        }
        return vector;
    }

    private static double squaredDistance(float[] a, float[] b) {
        double sum = 0;
        for (int d = 0; d < a.length; d++) {
            sum += (a[d] - b[d]) * (a[d] - b[d]);
        }
        return sum;
    }

    private static void putVector(RunningService service, String collection, String id, String vector) {
        assertThat(service.request("PUT", "/api/v1/collections/" + collection + "/images/" + id, "application/json",
                ("{\"vector\":" + vector + "}").getBytes(StandardCharsets.UTF_8)).status()).isEqualTo(201);
    }

    private static List<Integer> efsTried(JsonNode result) {
        List<Integer> efs = new ArrayList<>();
        result.get("sweep").forEach(step -> efs.add(step.get("ef").asInt()));
        return efs;
    }

    private static Reply putJson(RunningService service, String path, String json) {
        return service.request("PUT", path, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    private static void assertCode(Reply reply, int status, String code) {
        assertThat(reply.status()).as(String.valueOf(reply.json())).isEqualTo(status);
        assertThat(reply.json().get("code").asString()).isEqualTo(code);
    }
}
