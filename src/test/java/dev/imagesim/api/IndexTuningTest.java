package dev.imagesim.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

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
            for (int i = 0; i < 1500; i++) {
                float[] vector = new float[24];
                for (int d = 0; d < vector.length; d++) {
                    vector[d] = (float) random.nextGaussian();
                }
                assertThat(service.request("PUT", "/api/v1/collections/v/images/i" + i, "application/json",
                        ("{\"vector\":" + Arrays.toString(vector) + "}").getBytes(StandardCharsets.UTF_8)).status())
                        .isEqualTo(201);
            }
            Reply tuned = service.postJson("/api/v1/collections/v/index/tune",
                    "{\"targetRecall\":0.95,\"k\":10,\"sampleSize\":150}");
            assertThat(tuned.status()).isEqualTo(200);
            JsonNode result = tuned.json();
            System.out.println("ef tuning: " + result);
            JsonNode sweep = result.get("sweep");
            assertThat(result.get("reached").asBoolean()).isTrue();
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
        }
        try (RunningService restarted = RunningService.start(dataDir)) {
            JsonNode collection = restarted.get("/api/v1/collections/v").json();
            assertThat(collection.at("/index/ef").asInt()).isGreaterThan(10);
            assertThat(collection.get("size").asInt()).isEqualTo(1500);
        }
    }

    @Test
    void whatCannotBeTunedIsRefused() {
        try (RunningService service = RunningService.start(dataDir)) {
            service.postJson("/api/v1/collections", "{\"name\":\"exact\",\"dimension\":2,\"index\":{\"type\":\"exact\"}}");
            service.postJson("/api/v1/collections", "{\"name\":\"empty\",\"dimension\":2}");
            assertCode(service.postJson("/api/v1/collections/exact/index/tune", "{}"), 409, "index-exact");
            assertCode(service.postJson("/api/v1/collections/empty/index/tune", "{}"), 409, "collection-empty");
            assertCode(service.postJson("/api/v1/collections/empty/index/tune", "{\"targetRecall\":1.5}"), 400,
                    "target-recall-out-of-range");
            assertCode(service.postJson("/api/v1/collections/empty/index/tune", "{\"sampleSize\":0}"), 400,
                    "sample-out-of-range");
            assertCode(service.postJson("/api/v1/collections/nope/index/tune", "{}"), 404, "collection-not-found");
        }
    }

    private static void assertCode(Reply reply, int status, String code) {
        assertThat(reply.status()).as(String.valueOf(reply.json())).isEqualTo(status);
        assertThat(reply.json().get("code").asString()).isEqualTo(code);
    }
}
