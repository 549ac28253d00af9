package dev.imagesim.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
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
 * A self-supervised job over HTTP on a collection whose images carry no labels: it runs with copy edits and
 * its temperature filled in, keeps its epoch of lowest loss, and its model serves a collection whose duplicate
 * scan calibrates on it.
 */
class SelfSupervisedJobTest {

    @TempDir
    Path dataDir;

    @Test
    void aJobOnUnlabelledImagesMakesAModelForDuplicateWork() {
        try (RunningService service = RunningService.start(dataDir)) {
            service.postJson("/api/v1/collections", "{\"name\":\"unlabelled\"}");
            List<Sample> samples = FashionMnistSubset.load().subList(0, 40);
            for (Sample sample : samples) {
                put(service, "unlabelled", sample.id(), TestImages.encode(sample.image(), "png"));
            }
            Reply submitted = service.postJson("/api/v1/training-jobs", """
                    {"dataset":{"type":"collection","path":"unlabelled"},
                     "trunk":{"architecture":"cnn","inputSize":32,"channels":1},
                     "objective":{"type":"self-supervised"},"embeddingDim":16,"epochs":2,"batch":{"p":4,"k":4},
                     "augmentation":{"flip":true,"cropPadding":2,"copyEdits":true},
                     "seed":3,"modelId":"copies"}""");
            assertThat(submitted.status()).as(String.valueOf(submitted.json())).isEqualTo(202);
            JsonNode job = service.awaitJob(submitted.json().get("id").asString(),
                    j -> !List.of("queued", "running").contains(j.get("state").asString()), Duration.ofMinutes(5));
            assertThat(job.get("state").asString()).as(job.toString()).isEqualTo("succeeded");
            assertThat(job.at("/request/objective/temperature").asDouble()).isEqualTo(0.1);
            assertThat(job.at("/request/augmentation/copyEdits").asBoolean()).isTrue();
            assertThat(job.at("/request/objective/projectionHead").asBoolean()).as("a copy model compares its "
                    + "embedding itself").isFalse();
            List<Double> losses = new java.util.ArrayList<>();
            job.get("lossHistory").forEach(loss -> losses.add(loss.asDouble()));
            assertThat(losses).hasSize(2);
            assertThat(job.get("selectedEpoch").asInt()).as("the epoch of lowest loss, not of class retrieval")
                    .isEqualTo(losses.get(1) < losses.get(0) ? 2 : 1);

            service.postJson("/api/v1/collections", "{\"name\":\"c\",\"model\":\"copies\"}");
            for (Sample sample : samples.subList(0, 10)) {
                put(service, "c", sample.id(), TestImages.encode(TestImages.resized(sample.image(), 112), "png"));
            }
            assertThat(service.postJson("/api/v1/collections/c/duplicates", "{}").status()).isEqualTo(202);
            JsonNode scan;
            do {
                scan = service.get("/api/v1/collections/c/duplicates").json();
            } while (scan.get("finishedAt").isNull());
            assertThat(scan.get("state").asString()).as(scan.toString()).isEqualTo("succeeded");
            assertThat(scan.at("/calibration/originals").asInt()).isEqualTo(10);
        }
    }

    private static void put(RunningService service, String collection, String id, byte[] image) {
        assertThat(service.multipart("PUT", "/api/v1/collections/" + collection + "/images/" + id,
                new Multipart().image("image", image)).status()).isEqualTo(201);
    }
}
