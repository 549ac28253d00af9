package dev.imagesim.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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
 * {@code duplicates:check} over HTTP: the same bytes by {@code exact}, a re-encoded and resized copy by
 * {@code hash} and by {@code embedding} with a threshold; the same bytes by {@code embedding} (the default) at
 * a threshold calibrated on the collection; nothing stored by the check; a distinct
 * image finds nothing; records show their perceptual hash; {@code ifNoDuplicate=true} refuses a copy under
 * another id with 409; bad methods and thresholds are 400s with a code.
 */
class DuplicateCheckTest {

    @TempDir
    Path dataDir;

    @Test
    void copiesAreFoundByEachMethodAndNothingIsStored() {
        try (RunningService service = RunningService.start(dataDir)) {
            service.postJson("/api/v1/collections", "{\"name\":\"c\"}");
            List<Sample> samples = FashionMnistSubset.load().subList(0, 30);
            for (Sample sample : samples.subList(0, 20)) {
                assertThat(service.multipart("PUT", "/api/v1/collections/c/images/" + sample.id(),
                        new Multipart().image("image", png(sample.image(), 112))).status()).isEqualTo(201);
            }
            Sample kept = samples.get(4);
            byte[] same = png(kept.image(), 112);
            byte[] copy = TestImages.encode(TestImages.resized(kept.image(), 80), "jpeg");

            assertThat(ids(check(service, same, "method=exact"))).containsExactly(kept.id());
            assertThat(ids(check(service, copy, "method=exact"))).isEmpty();
            Reply byHash = check(service, copy, "method=hash");
            assertThat(byHash.json().get("threshold").asDouble()).isEqualTo(2);
            assertThat(ids(byHash)).startsWith(kept.id());
            Reply byDefault = check(service, same, "");
            assertThat(byDefault.json().get("method").asString()).isEqualTo("embedding");
            assertThat(byDefault.json().at("/calibration/originals").asInt())
                    .as("calibrated on the collection's own images").isEqualTo(20);
            assertThat(byDefault.json().get("threshold").asDouble())
                    .isEqualTo(byDefault.json().at("/calibration/threshold").asDouble()).isPositive();
            assertThat(ids(byDefault)).startsWith(kept.id());
            assertThat(ids(check(service, copy, "method=embedding&threshold=0.02"))).startsWith(kept.id());
            assertThat(ids(check(service, png(samples.get(25).image(), 112), "method=hash&threshold=2"))).isEmpty();
            assertThat(service.get("/api/v1/collections/c").json().get("size").asInt()).isEqualTo(20);
            assertThat(service.get("/api/v1/collections/c/images/" + kept.id()).json().get("perceptualHash").asString())
                    .hasSize(16);

            Reply refused = service.multipart("PUT", "/api/v1/collections/c/images/copy?ifNoDuplicate=true",
                    new Multipart().image("image", copy));
            assertProblem(refused, 409, "duplicate-exists");
            assertThat(refused.json().get("detail").asString()).contains(kept.id());
            assertThat(service.multipart("PUT", "/api/v1/collections/c/images/" + kept.id() + "?ifNoDuplicate=true",
                    new Multipart().image("image", copy)).status()).as("replacing an image by its own copy").isEqualTo(200);
            assertThat(service.multipart("PUT", "/api/v1/collections/c/images/new?ifNoDuplicate=true",
                    new Multipart().image("image", png(samples.get(26).image(), 112))).status()).isEqualTo(201);
            assertThat(service.get("/api/v1/collections/c").json().get("size").asInt()).isEqualTo(21);

            assertProblem(check(service, copy, "method=fuzzy"), 400, "method-unknown");
            assertProblem(check(service, copy, "method=hash&threshold=65"), 400, "threshold-out-of-range");
            assertProblem(check(service, copy, "method=hash&threshold=2.5"), 400, "threshold-out-of-range");
            assertProblem(check(service, copy, "method=embedding&threshold=-1"), 400, "threshold-out-of-range");
            service.postJson("/api/v1/collections", "{\"name\":\"v\",\"dimension\":2}");
            assertProblem(check(service, "v", copy, "method=embedding"), 400, "threshold-required");
            service.postJson("/api/v1/collections", "{\"name\":\"empty\"}");
            assertProblem(check(service, "empty", copy, ""), 409, "collection-too-small");
            assertProblem(check(service, "v", copy, "method=embedding&threshold=0.1"), 409, "collection-has-no-model");
            assertProblem(check(service, "nope", copy, ""), 404, "collection-not-found");
        }
    }

    private static Reply check(RunningService service, byte[] image, String query) {
        return check(service, "c", image, query);
    }

    private static Reply check(RunningService service, String collection, byte[] image, String query) {
        return service.multipart("POST", "/api/v1/collections/" + collection + "/duplicates:check?" + query,
                new Multipart().image("image", image));
    }

    private static List<String> ids(Reply reply) {
        assertThat(reply.status()).as(String.valueOf(reply.json())).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        for (JsonNode match : reply.json().get("duplicates")) {
            ids.add(match.get("id").asString());
        }
        return ids;
    }

    private static byte[] png(BufferedImage image, int size) {
        return TestImages.encode(TestImages.resized(image, size), "png");
    }

    private static void assertProblem(Reply reply, int status, String code) {
        assertThat(reply.status()).isEqualTo(status);
        assertThat(reply.json().get("code").asString()).isEqualTo(code);
    }
}
