package dev.imagesim.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
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
 * {@code collapseDuplicates} on search: only the best-ranked image of each set of copies is a hit, the others
 * listed as its {@code copies}; k hits still come back when the collection has them, widening past a crowd
 * of copies; an image collection uses its calibrated threshold; a collection of one's own vectors needs one.
 */
class CollapseDuplicatesTest {

    @TempDir
    Path dataDir;

    @Test
    void copiesAmongTheHitsFoldIntoTheBestRankedOne() {
        try (RunningService service = RunningService.start(dataDir)) {
            service.postJson("/api/v1/collections", "{\"name\":\"v\",\"dimension\":2,\"distance\":\"euclidean\"}");
            put(service, "a", "[0,0]");
            for (int i = 1; i <= 30; i++) {
                put(service, "a" + i, "[" + 0.001 * i + ",0]");
            }
            put(service, "b", "[1,0]");
            put(service, "b1", "[1.01,0]");
            put(service, "c", "[2,0]");

            assertThat(ids(search(service, "{\"vector\":[0,0],\"k\":3}"))).containsExactly("a", "a1", "a2");
            JsonNode collapsed = search(service, "{\"vector\":[0,0],\"k\":3,\"collapseDuplicates\":true,"
                    + "\"duplicateThreshold\":0.05}");
            assertThat(ids(collapsed)).as("past a crowd of 30 copies").containsExactly("a", "b", "c");
            assertThat(collapsed.at("/results/0/copies")).hasSize(30);
            assertThat(collapsed.at("/results/1/copies/0").asString()).isEqualTo("b1");
            assertThat(collapsed.at("/results/2/copies")).isEmpty();
            assertThat(search(service, "{\"vector\":[0,0],\"k\":3}").at("/results/0").has("copies"))
                    .as("absent unless collapsing").isFalse();

            Reply noThreshold = service.postJson("/api/v1/collections/v/search",
                    "{\"vector\":[0,0],\"collapseDuplicates\":true}");
            assertThat(noThreshold.status()).isEqualTo(400);
            assertThat(noThreshold.json().get("code").asString()).isEqualTo("threshold-required");
            Reply negative = service.postJson("/api/v1/collections/v/search",
                    "{\"vector\":[0,0],\"collapseDuplicates\":true,\"duplicateThreshold\":-1}");
            assertThat(negative.json().get("code").asString()).isEqualTo("threshold-out-of-range");
        }
    }

    @Test
    void anImageCollectionCollapsesByItsCalibratedThreshold() {
        try (RunningService service = RunningService.start(dataDir)) {
            service.postJson("/api/v1/collections", "{\"name\":\"c\"}");
            List<Sample> samples = FashionMnistSubset.load().subList(0, 12);
            for (Sample sample : samples) {
                image(service, sample.id(), png(sample));
            }
            image(service, "again", png(samples.get(3)));
            Reply reply = service.multipart("POST", "/api/v1/collections/c/search?k=4&collapseDuplicates=true",
                    new Multipart().image("image", png(samples.get(3))));
            assertThat(reply.status()).as(String.valueOf(reply.json())).isEqualTo(200);
            List<String> hits = ids(reply.json());
            List<String> twins = List.of(samples.get(3).id(), "again");
            assertThat(hits).hasSize(4).containsAnyElementsOf(twins);
            assertThat(hits.subList(1, 4)).as("the twin ranked second is hidden").doesNotContainAnyElementsOf(twins);
            assertThat(twins).contains(hits.get(0), reply.json().at("/results/0/copies/0").asString());
        }
    }

    private static JsonNode search(RunningService service, String body) {
        Reply reply = service.postJson("/api/v1/collections/v/search", body);
        assertThat(reply.status()).as(String.valueOf(reply.json())).isEqualTo(200);
        return reply.json();
    }

    private static List<String> ids(JsonNode result) {
        List<String> ids = new ArrayList<>();
        result.get("results").forEach(hit -> ids.add(hit.get("id").asString()));
        return ids;
    }

    private static void put(RunningService service, String id, String vector) {
        assertThat(service.request("PUT", "/api/v1/collections/v/images/" + id, "application/json",
                ("{\"vector\":" + vector + "}").getBytes(StandardCharsets.UTF_8)).status()).isEqualTo(201);
    }

    private static void image(RunningService service, String id, byte[] png) {
        assertThat(service.multipart("PUT", "/api/v1/collections/c/images/" + id, new Multipart().image("image", png))
                .status()).isEqualTo(201);
    }

    private static byte[] png(Sample sample) {
        return TestImages.encode(TestImages.resized(sample.image(), 112), "png");
    }
}
