package dev.imagesim.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tools.jackson.databind.JsonNode;

import dev.imagesim.ApiClient.Reply;
import dev.imagesim.FashionMnistSubset;
import dev.imagesim.FashionMnistSubset.Sample;
import dev.imagesim.Multipart;
import dev.imagesim.RunningService;
import dev.imagesim.TestImages;

/**
 * Whole-collection duplicate scans over HTTP: the groups of a fixture with known copies by {@code hash},
 * {@code exact} and {@code embedding} (calibrated on the collection, and with a threshold on a collection of
 * the client's own vectors); groups paged largest first; bad requests refused with a code; a running scan
 * cancelled and a queued one cancelled at once; a scan cut short by a restart reported as failed, a finished
 * one kept.
 */
class DuplicateScanTest {

    @TempDir
    Path dataDir;

    @Test
    void scansGroupTheKnownCopiesByEachMethod() {
        try (RunningService service = RunningService.start(dataDir)) {
            service.postJson("/api/v1/collections", "{\"name\":\"c\"}");
            List<Sample> samples = FashionMnistSubset.load().subList(0, 12);
            for (Sample sample : samples) {
                put(service, sample.id(), png(sample.image(), 112));
            }
            for (Sample copied : samples.subList(0, 2)) {
                put(service, copied.id() + "-jpeg", TestImages.encode(TestImages.resized(copied.image(), 112), "jpeg"));
                put(service, copied.id() + "-small", png(copied.image(), 80));
            }
            String same = samples.get(2).id();
            put(service, same + "-same", png(samples.get(2).image(), 112));
            Set<Set<String>> copies = Set.of(
                    Set.of(samples.get(0).id(), samples.get(0).id() + "-jpeg", samples.get(0).id() + "-small"),
                    Set.of(samples.get(1).id(), samples.get(1).id() + "-jpeg", samples.get(1).id() + "-small"),
                    Set.of(same, same + "-same"));

            JsonNode byHash = scan(service, "c", "{\"method\":\"hash\",\"threshold\":4}");
            assertThat(byHash.get("images").asInt()).isEqualTo(17);
            assertThat(groups(byHash)).isEqualTo(copies);
            assertThat(byHash.get("groupCount").asInt()).isEqualTo(3);
            assertThat(byHash.get("duplicateCount").asInt()).isEqualTo(5);
            assertThat(scan(service, "c", "{\"method\":\"exact\"}").get("groupCount").asInt()).isEqualTo(1);
            assertThat(groups(service.get("/api/v1/collections/c/duplicates").json()))
                    .isEqualTo(Set.of(Set.of(same, same + "-same")));

            JsonNode byEmbedding = scan(service, "c", null);
            assertThat(byEmbedding.get("method").asString()).isEqualTo("embedding");
            assertThat(byEmbedding.at("/calibration/originals").asInt()).isEqualTo(17);
            assertThat(byEmbedding.get("threshold").asDouble())
                    .isEqualTo(byEmbedding.at("/calibration/threshold").asDouble());
            assertThat(groups(byEmbedding)).as("identical images are at distance 0")
                    .anyMatch(group -> group.containsAll(Set.of(same, same + "-same")));

            scan(service, "c", "{\"method\":\"hash\",\"threshold\":4}");
            Reply page = service.get("/api/v1/collections/c/duplicates?limit=2");
            assertThat(page.json().get("groups")).hasSize(2);
            page.json().get("groups").forEach(group -> assertThat(group.get("members")).hasSize(3));
            assertThat(page.json().at("/groups/0/members/0/distance").asDouble()).as("the representative")
                    .isZero();
            String next = page.json().get("next").asString();
            Reply last = service.get("/api/v1/collections/c/duplicates?limit=2&cursor=" + next);
            assertThat(last.json().get("groups")).hasSize(1);
            assertThat(last.json().get("next").isNull()).isTrue();

            service.postJson("/api/v1/collections", "{\"name\":\"v\",\"dimension\":2,\"distance\":\"euclidean\"}");
            String[][] vectors = {{"a", "[0,0]"}, {"a2", "[0.01,0]"}, {"b", "[5,5]"}, {"b2", "[5,5.02]"},
                    {"b3", "[5.03,5]"}, {"c", "[10,0]"}};
            for (String[] vector : vectors) {
                putJson(service, "/api/v1/collections/v/images/" + vector[0], "{\"vector\":" + vector[1] + "}");
            }
            JsonNode ownVectors = scan(service, "v", "{\"method\":\"embedding\",\"threshold\":0.1}");
            assertThat(groups(ownVectors)).isEqualTo(Set.of(Set.of("a", "a2"), Set.of("b", "b2", "b3")));
            assertThat(ownVectors.at("/groups/0/members/0/id").asString()).as("the largest first").startsWith("b");
        }
    }

    @Test
    void badScanRequestsAreRefusedWithACode() {
        try (RunningService service = RunningService.start(dataDir)) {
            service.postJson("/api/v1/collections", "{\"name\":\"c\"}");
            service.postJson("/api/v1/collections", "{\"name\":\"v\",\"dimension\":2}");
            assertCode(service.get("/api/v1/collections/c/duplicates"), 404, "scan-not-found");
            assertCode(service.delete("/api/v1/collections/c/duplicates"), 404, "scan-not-found");
            assertCode(service.postJson("/api/v1/collections/c/duplicates", "{\"method\":\"fuzzy\"}"), 400,
                    "method-unknown");
            assertCode(service.postJson("/api/v1/collections/c/duplicates", "{\"method\":\"hash\",\"threshold\":70}"),
                    400, "threshold-out-of-range");
            assertCode(service.postJson("/api/v1/collections/c/duplicates",
                    "{\"method\":\"embedding\",\"threshold\":-0.5}"), 400, "threshold-out-of-range");
            assertCode(service.postJson("/api/v1/collections/v/duplicates", "{}"), 400, "threshold-required");
            assertCode(service.postJson("/api/v1/collections/nope/duplicates", "{}"), 404, "collection-not-found");
            JsonNode tooSmall = scan(service, "c", "{}");
            assertThat(tooSmall.get("state").asString()).isEqualTo("failed");
            assertThat(tooSmall.get("error").asString()).contains("at least 2 stored images");
            scan(service, "c", "{\"method\":\"hash\"}");
            assertCode(service.get("/api/v1/collections/c/duplicates?limit=0"), 400, "limit-out-of-range");
            assertCode(service.get("/api/v1/collections/c/duplicates?limit=1001"), 400, "limit-out-of-range");
            assertCode(service.get("/api/v1/collections/c/duplicates?cursor=x"), 400, "cursor-malformed");
            assertCode(service.delete("/api/v1/collections/c/duplicates"), 409, "scan-finished");
        }
    }

    @Test
    void imagesStoredBeforeHashesWereKeptGetThemAfterARestart() {
        List<Sample> samples = FashionMnistSubset.load().subList(0, 3);
        try (RunningService service = RunningService.start(dataDir)) {
            service.postJson("/api/v1/collections", "{\"name\":\"c\"}");
            for (Sample sample : samples) {
                put(service, sample.id(), png(sample.image(), 112));
            }
            put(service, "copy", TestImages.encode(TestImages.resized(samples.get(0).image(), 112), "jpeg"));
            service.bean(org.springframework.jdbc.core.JdbcTemplate.class).update("UPDATE images SET phash = NULL");
            assertThat(scan(service, "c", "{\"method\":\"hash\"}").get("images").asInt()).isZero();
        }
        try (RunningService restarted = RunningService.start(dataDir)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            // the response leaves the field out until the background has hashed the image
            while (restarted.get("/api/v1/collections/c/images/copy").json().path("perceptualHash").isMissingNode()) {
                assertThat(System.nanoTime()).as("hashed in the background within 60 s").isLessThan(deadline);
            }
            JsonNode byHash = scan(restarted, "c", "{\"method\":\"hash\"}");
            assertThat(byHash.get("images").asInt()).isEqualTo(4);
            assertThat(groups(byHash)).isEqualTo(Set.of(Set.of(samples.get(0).id(), "copy")));
        }
    }

    /**
     * An exact index over 6,000 128-d vectors makes every neighbour search a pass over all of them: seconds of
     * work, long enough to follow, cancel and cut short.
     */
    @Test
    void aScanRunsInTheBackgroundCanBeCancelledAndARestartSaysItWasCutShort() {
        try (RunningService service = RunningService.start(dataDir)) {
            slowCollection(service, "slow");
            slowCollection(service, "kept");
            String request = "{\"method\":\"embedding\",\"threshold\":0.5}";
            Reply started = service.postJson("/api/v1/collections/slow/duplicates", request);
            assertThat(started.status()).as(String.valueOf(started.json())).isEqualTo(202);
            assertCode(service.postJson("/api/v1/collections/slow/duplicates", request), 409, "scan-running");
            Reply queued = service.postJson("/api/v1/collections/kept/duplicates", request);
            assertThat(queued.json().get("state").asString()).as("behind the slow one").isEqualTo("queued");
            Reply cancelledQueued = service.delete("/api/v1/collections/kept/duplicates");
            assertThat(cancelledQueued.status()).isEqualTo(202);
            assertThat(cancelledQueued.json().get("state").asString()).isEqualTo("cancelled");

            JsonNode running = await(service, "slow", s -> s.get("percent").asDouble() > 0);
            assertThat(running.get("state").asString()).isEqualTo("running");
            assertThat(running.get("etaSeconds").isNumber()).as(running.toString()).isTrue();
            assertThat(service.delete("/api/v1/collections/slow/duplicates").status()).isEqualTo(202);
            JsonNode cancelled = await(service, "slow", s -> !s.get("finishedAt").isNull());
            assertThat(cancelled.get("state").asString()).as(cancelled.toString()).isEqualTo("cancelled");
            assertThat(cancelled.get("groupCount").isNull()).isTrue();

            assertThat(scan(service, "kept", "{\"method\":\"embedding\",\"threshold\":0.5}").get("state").asString())
                    .as("a cancelled scan does not block the next").isEqualTo("succeeded");
            assertThat(service.postJson("/api/v1/collections/slow/duplicates", request).status()).isEqualTo(202);
            await(service, "slow", s -> s.get("percent").asDouble() > 0);
        }
        try (RunningService restarted = RunningService.start(dataDir)) {
            JsonNode cutShort = restarted.get("/api/v1/collections/slow/duplicates").json();
            assertThat(cutShort.get("state").asString()).as(cutShort.toString()).isEqualTo("failed");
            assertThat(cutShort.get("error").asString()).contains("stopped before the scan finished");
            JsonNode kept = restarted.get("/api/v1/collections/kept/duplicates").json();
            assertThat(kept.get("state").asString()).as("a finished scan outlives a restart").isEqualTo("succeeded");
            assertThat(kept.get("images").asInt()).isEqualTo(6000);
        }
    }

    private static void slowCollection(RunningService service, String name) {
        assertThat(service.postJson("/api/v1/collections", "{\"name\":\"" + name + "\",\"dimension\":128,"
                + "\"distance\":\"euclidean\",\"index\":{\"type\":\"exact\"}}").status()).isEqualTo(201);
        Random random = new Random(name.hashCode());
        for (int from = 0; from < 6000; from += 200) {
            StringBuilder items = new StringBuilder();
            for (int i = from; i < from + 200; i++) {
                float[] vector = new float[128];
                for (int d = 0; d < vector.length; d++) {
                    vector[d] = (float) random.nextGaussian();
                }
                items.append(i == from ? "" : ",").append("{\"id\":\"i").append(i).append("\",\"vector\":")
                        .append(Arrays.toString(vector)).append('}');
            }
            assertThat(service.postJson("/api/v1/collections/" + name + "/images:batch", "{\"items\":[" + items
                    + "]}").status()).isEqualTo(200);
        }
    }

    /** Starts a scan and waits for it to end; answers the first page of the ended scan. */
    private static JsonNode scan(RunningService service, String collection, String request) {
        Reply started = request == null ? service.request("POST", "/api/v1/collections/" + collection
                + "/duplicates", "application/json", new byte[0]) : service.postJson("/api/v1/collections/"
                + collection + "/duplicates", request);
        assertThat(started.status()).as(String.valueOf(started.json())).isEqualTo(202);
        String id = started.json().get("id").asString();
        return await(service, collection, s -> s.get("id").asString().equals(id) && !s.get("finishedAt").isNull());
    }

    private static JsonNode await(RunningService service, String collection, Predicate<JsonNode> condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            Reply reply = service.get("/api/v1/collections/" + collection + "/duplicates?limit=1000");
            assertThat(reply.status()).as(String.valueOf(reply.json())).isEqualTo(200);
            if (condition.test(reply.json())) {
                return reply.json();
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("the scan of " + collection + " did not get there in 120 s");
    }

    /** The scan's groups as sets of ids. */
    private static Set<Set<String>> groups(JsonNode scan) {
        Set<Set<String>> groups = new HashSet<>();
        for (JsonNode group : scan.get("groups")) {
            List<String> members = new ArrayList<>();
            group.get("members").forEach(member -> members.add(member.get("id").asString()));
            groups.add(Set.copyOf(members));
        }
        return groups;
    }

    private static void put(RunningService service, String id, byte[] image) {
        assertThat(service.multipart("PUT", "/api/v1/collections/c/images/" + id, new Multipart().image("image", image))
                .status()).isEqualTo(201);
    }

    private static void putJson(RunningService service, String path, String json) {
        assertThat(service.request("PUT", path, "application/json", json.getBytes(StandardCharsets.UTF_8)).status())
                .isEqualTo(201);
    }

    private static byte[] png(BufferedImage image, int size) {
        return TestImages.encode(TestImages.resized(image, size), "png");
    }

    private static void assertCode(Reply reply, int status, String code) {
        assertThat(reply.status()).as(String.valueOf(reply.json())).isEqualTo(status);
        assertThat(reply.json().get("code").asString()).isEqualTo(code);
    }
}
