package dev.imagesim.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Predicate;
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
            JsonNode dryRun = tuned(service, "v",
                    "{\"targetRecall\":1.0,\"k\":10,\"sampleSize\":150,\"maxEf\":14,\"apply\":false}");
            assertThat(efsTried(dryRun)).as("k, the ladder below maxEf, maxEf").containsExactly(10, 12, 14);
            assertThat(dryRun.get("ef").asInt()).isEqualTo(14);
            assertThat(dryRun.get("reached").asBoolean()).isFalse();
            assertThat(dryRun.get("applied").asBoolean()).isFalse();
            assertThat(service.get("/api/v1/collections/v").json().at("/index/ef").asInt())
                    .as("a dry run leaves the default").isEqualTo(8);
            JsonNode result = tuned(service, "v", "{\"targetRecall\":0.95,\"k\":10,\"sampleSize\":150}");
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
            JsonNode tuned = tuned(service, "g", "{\"targetRecall\":0.9,\"k\":10}");
            assertThat(tuned.get("reached").asBoolean()).isTrue();
            assertThat(recallOfNewQueries(service, "g", stored, random))
                    .as("recall@10 of new queries at the tuned ef %d (tuning's own vectors as they are: 0.825)",
                            tuned.get("ef").asInt())
                    .isGreaterThan(0.87);
        }
    }

    @Test
    void whatCannotBeTunedIsRefused() {
        try (RunningService service = RunningService.start(dataDir)) {
            service.postJson("/api/v1/collections", "{\"name\":\"exact\",\"dimension\":2,\"index\":{\"type\":\"exact\"}}");
            service.postJson("/api/v1/collections", "{\"name\":\"empty\",\"dimension\":2}");
            assertCode(service.postJson("/api/v1/collections/exact/index/tune", "{}"), 409, "index-exact");
            service.postJson("/api/v1/collections", "{\"name\":\"lib\",\"dimension\":2,\"index\":{\"type\":\"hnswlib\"}}");
            putVector(service, "lib", "a", "[1,0]");
            putVector(service, "lib", "b", "[0,1]");
            assertCode(service.postJson("/api/v1/collections/lib/index/tune", "{}"), 409, "index-not-tunable");
            assertThat(putJson(service, "/api/v1/collections/lib/index/ef", "{\"ef\":40}").status()).isEqualTo(200);
            assertCode(service.postJson("/api/v1/collections/empty/index/tune", "{}"), 409, "collection-too-small");
            putVector(service, "empty", "a", "[1,0]");
            assertCode(service.postJson("/api/v1/collections/empty/index/tune", "{}"), 409, "collection-too-small");
            putVector(service, "empty", "b", "[0,1]");
            assertThat(tuned(service, "empty", "{}").get("recall").asDouble()).as("each of two vectors finds the other")
                    .isEqualTo(1.0);
            assertCode(service.postJson("/api/v1/collections/empty/index/tune", "{\"targetRecall\":1.5}"), 400,
                    "target-recall-out-of-range");
            assertCode(service.postJson("/api/v1/collections/empty/index/tune", "{\"sampleSize\":0}"), 400,
                    "sample-out-of-range");
            assertCode(service.postJson("/api/v1/collections/empty/index/tune", "{\"k\":10,\"maxEf\":9}"), 400,
                    "max-ef-out-of-range");
            assertCode(service.postJson("/api/v1/collections/empty/index/tune", "{\"maxEf\":4097}"), 400,
                    "max-ef-out-of-range");
            assertCode(service.postJson("/api/v1/collections/nope/index/tune", "{}"), 404, "collection-not-found");
            assertCode(service.get("/api/v1/collections/exact/index/tune"), 404, "tune-not-found");
            assertCode(service.delete("/api/v1/collections/exact/index/tune"), 404, "tune-not-found");
            assertCode(service.get("/api/v1/collections/nope/index/tune"), 404, "collection-not-found");
            assertCode(service.delete("/api/v1/collections/empty/index/tune"), 409, "tune-finished");
            assertThat(service.delete("/api/v1/collections/empty").status()).isEqualTo(204);
            service.postJson("/api/v1/collections", "{\"name\":\"empty\",\"dimension\":2}");
            assertCode(service.get("/api/v1/collections/empty/index/tune"), 404, "tune-not-found");
        }
    }

    /**
     * Tuning runs in the background: a second one of the same collection is refused while it runs, its
     * progress can be followed, a queued one is cancelled at once and a running one within a query, and a
     * cancelled tuning applies nothing. A weak graph (M=4) over 128-d Gaussian vectors never reaches recall
     * 1.0, so the sweep runs to maxEf on 2,000 queries: seconds of work.
     */
    @Test
    void aTuningRunsInTheBackgroundAndCanBeCancelled() {
        try (RunningService service = RunningService.start(dataDir)) {
            for (String name : List.of("slow", "next")) {
                assertThat(service.postJson("/api/v1/collections", "{\"name\":\"" + name + "\",\"dimension\":128,"
                        + "\"distance\":\"euclidean\",\"index\":{\"type\":\"hnsw\",\"m\":4,\"efConstruction\":8,"
                        + "\"ef\":9}}").status()).isEqualTo(201);
            }
            Random random = new Random(3);
            for (int from = 0; from < 4000; from += 200) {
                StringBuilder items = new StringBuilder();
                for (int i = from; i < from + 200; i++) {
                    items.append(i == from ? "" : ",").append("{\"id\":\"i").append(i).append("\",\"vector\":")
                            .append(Arrays.toString(gaussian(random, 128))).append('}');
                }
                assertThat(service.postJson("/api/v1/collections/slow/images:batch", "{\"items\":[" + items + "]}")
                        .status()).isEqualTo(200);
            }
            putVector(service, "next", "a", Arrays.toString(gaussian(random, 128)));
            putVector(service, "next", "b", Arrays.toString(gaussian(random, 128)));
            String slowGoal = "{\"targetRecall\":1.0,\"sampleSize\":2000}";
            Reply started = service.postJson("/api/v1/collections/slow/index/tune", slowGoal);
            assertThat(started.status()).as(String.valueOf(started.json())).isEqualTo(202);
            assertThat(started.json().get("state").asString()).isIn("queued", "running");
            assertThat(started.json().at("/goal/maxEf").asInt()).as("the default filled in").isEqualTo(4096);
            assertCode(service.postJson("/api/v1/collections/slow/index/tune", slowGoal), 409, "tune-running");
            Reply queued = service.postJson("/api/v1/collections/next/index/tune", "{}");
            assertThat(queued.json().get("state").asString()).as("behind the slow one").isEqualTo("queued");
            Reply cancelledQueued = service.delete("/api/v1/collections/next/index/tune");
            assertThat(cancelledQueued.status()).isEqualTo(202);
            assertThat(cancelledQueued.json().get("state").asString()).isEqualTo("cancelled");

            JsonNode sweeping = awaitTuning(service, "slow", s -> "sweep".equals(s.get("phase").asString(null))
                    && s.get("searched").asInt() > 0);
            assertThat(sweeping.get("ef").asInt()).isGreaterThanOrEqualTo(10);
            assertThat(sweeping.get("percent").asDouble()).isBetween(0.0, 100.0);
            assertThat(sweeping.get("etaSeconds").isNumber()).as(sweeping.toString()).isTrue();
            Reply cancelling = service.delete("/api/v1/collections/slow/index/tune");
            assertThat(cancelling.status()).as(String.valueOf(cancelling.json())).isEqualTo(202);
            JsonNode cancelled = awaitTuning(service, "slow", s -> !s.get("finishedAt").isNull());
            assertThat(cancelled.get("state").asString()).as(cancelled.toString()).isEqualTo("cancelled");
            assertThat(cancelled.get("result").isNull()).isTrue();
            assertThat(service.get("/api/v1/collections/slow").json().at("/index/ef").asInt())
                    .as("a cancelled tuning applies nothing").isEqualTo(9);
            assertCode(service.delete("/api/v1/collections/slow/index/tune"), 409, "tune-finished");

            Reply again = service.request("POST", "/api/v1/collections/next/index/tune", "application/json",
                    "{}".getBytes(StandardCharsets.UTF_8), "Prefer", "wait=60");
            assertThat(again.status()).as("a cancelled tuning does not block the next").isEqualTo(200);
            assertThat(again.json().get("state").asString()).isEqualTo("succeeded");
            assertThat(again.json().get("percent").asDouble()).isEqualTo(100.0);
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

    /** Starts a tuning, waits for it to end (Prefer: wait) and answers its result. */
    private static JsonNode tuned(RunningService service, String collection, String goal) {
        Reply reply = service.request("POST", "/api/v1/collections/" + collection + "/index/tune",
                "application/json", goal.getBytes(StandardCharsets.UTF_8), "Prefer", "wait=120");
        assertThat(reply.status()).as(String.valueOf(reply.json())).isEqualTo(200);
        assertThat(reply.json().get("state").asString()).isEqualTo("succeeded");
        assertThat(reply.json().get("scanned").asInt()).as("the exact pass went over every stored vector")
                .isEqualTo(reply.json().get("toScan").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(service.get("/api/v1/collections/" + collection + "/index/tune").json())
                .as("GET shows the same ended tuning").isEqualTo(reply.json());
        return reply.json().get("result");
    }

    private static JsonNode awaitTuning(RunningService service, String collection, Predicate<JsonNode> condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode status = service.get("/api/v1/collections/" + collection + "/index/tune").json();
            if (condition.test(status)) {
                return status;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("the tuning of " + collection + " did not get there in 60 s");
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
