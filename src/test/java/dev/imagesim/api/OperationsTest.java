package dev.imagesim.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tools.jackson.databind.JsonNode;

import dev.imagesim.FashionMnistSubset;
import dev.imagesim.FashionMnistSubset.Sample;
import dev.imagesim.Multipart;
import dev.imagesim.RunningService;
import dev.imagesim.TestImages;

/** Probes an orchestrator can use and the metrics Prometheus scrapes, after a few real requests. */
class OperationsTest {

    @TempDir
    Path dataDir;

    @Test
    void probesAreUpAndPrometheusShowsTheServiceMetrics() throws IOException {
        FashionMnistSubset.copyTrainingSet(dataDir.resolve("datasets/fm"));
        List<Sample> samples = FashionMnistSubset.load();
        try (RunningService service = RunningService.start(dataDir)) {
            assertThat(service.get("/actuator/health/readiness").json().get("status").asString()).isEqualTo("UP");
            assertThat(service.get("/actuator/health/liveness").json().get("status").asString()).isEqualTo("UP");

            assertThat(service.postJson("/api/v1/collections", "{\"name\":\"ops\"}").status()).isEqualTo(201);
            for (Sample s : samples.subList(0, 5)) {
                service.multipart("PUT", "/api/v1/collections/ops/images/" + s.id(),
                        new Multipart().image("image", TestImages.encode(s.image(), "png")));
            }
            service.multipart("POST", "/api/v1/collections/ops/images:batch", new Multipart()
                    .file("image", "b1.png", "image/png", TestImages.encode(samples.get(5).image(), "png"))
                    .file("image", "b2.png", "image/png", TestImages.encode(samples.get(6).image(), "png")));
            service.multipart("POST", "/api/v1/collections/ops/search?k=3",
                    new Multipart().image("image", TestImages.encode(samples.get(0).image(), "png")));
            service.postJson("/api/v1/collections/ops/search", "{\"id\":\"" + samples.get(1).id() + "\",\"k\":2}");
            String job = service.postJson("/api/v1/training-jobs", """
                    {"dataset":{"type":"idx","path":"fm","maxImagesPerClass":8},
                     "trunk":{"architecture":"cnn","inputSize":28},"objective":{"type":"softmax"},
                     "epochs":1,"batch":{"p":4,"k":2}}""").json().get("id").asString();
            List<JsonNode> events = service.events("/api/v1/training-jobs/" + job + "/events", Duration.ofMinutes(3));
            assertThat(events.get(events.size() - 1).get("state").asString()).isEqualTo("succeeded");

            String metrics = service.text("/actuator/prometheus");
            assertThat(metrics)
                    .containsPattern("imagesim_embedding_seconds_count\\{[^}]*batch=\"1\"[^}]*\\} [1-9]")
                    .containsPattern("imagesim_embedding_seconds_bucket\\{")
                    .containsPattern("imagesim_search_seconds_count\\{by=\"image\"[^}]*\\} 1")
                    .containsPattern("imagesim_search_seconds_count\\{by=\"id\"[^}]*\\} 1")
                    .containsPattern("cache_gets_total\\{cache=\"imagesim.search.metadata\"[^}]*result=\"miss\"[^}]*\\} [1-9]")
                    .containsPattern("imagesim_ingest_seconds_count\\{request=\"single\"[^}]*\\} 5")
                    .containsPattern("imagesim_ingest_images_total\\{outcome=\"created\"[^}]*\\} 7")
                    .containsPattern("imagesim_training_iteration_seconds_count(\\{[^}]*\\})? [1-9]")
                    .containsPattern("imagesim_training_jobs(\\{[^}]*\\})? 0")
                    .containsPattern("imagesim_index_vectors\\{collection=\"ops\"[^}]*\\} 7");
        }
    }
}
