package dev.imagesim.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tools.jackson.databind.JsonNode;

import dev.imagesim.FashionMnistSubset;
import dev.imagesim.FashionMnistSubset.Sample;
import dev.imagesim.Multipart;
import dev.imagesim.RunningService;
import dev.imagesim.TestImages;

/**
 * After a restart over the same data directory the same searches give the same results, whether the index
 * comes from its snapshot plus replay, from a snapshot that is missing, or from one that is damaged.
 */
class RestartTest {

    @TempDir
    Path dataDir;

    private final List<Sample> samples = FashionMnistSubset.load().subList(0, 120);

    @Test
    void searchesAnswerTheSameAfterRestartsWithSnapshotMissingOrDamaged() throws IOException {
        List<JsonNode> before;
        // snapshot after 50 changes: the first run leaves a snapshot plus newer rows to replay
        try (RunningService service = RunningService.start(dataDir, "--imagesim.index.snapshot-every-writes=50")) {
            assertThat(service.postJson("/api/v1/collections", "{\"name\":\"c\"}").status()).isEqualTo(201);
            for (Sample s : samples) {
                assertThat(service.multipart("PUT", "/api/v1/collections/c/images/" + s.id(), new Multipart()
                        .image("image", TestImages.encode(s.image(), "png"))
                        .field("metadata", "{\"label\":" + s.label() + "}")).status()).isEqualTo(201);
            }
            assertThat(service.delete("/api/v1/collections/c/images/fm-7").status()).isEqualTo(204);
            before = searches(service);
        }
        Path snapshot = dataDir.resolve("indexes/c.snapshot");
        assertThat(snapshot).exists();

        try (RunningService service = RunningService.start(dataDir)) {
            assertThat(searches(service)).isEqualTo(before);
            assertThat(service.get("/api/v1/collections/c").json().get("size").asInt()).isEqualTo(119);
            assertThat(service.get("/api/v1/collections/c/images/fm-7").status()).isEqualTo(404);
        }

        Files.delete(snapshot);
        try (RunningService service = RunningService.start(dataDir)) {
            assertThat(searches(service)).isEqualTo(before);
        }

        try (RandomAccessFile file = new RandomAccessFile(snapshot.toFile(), "rw")) {
            file.setLength(file.length() / 3);
        }
        try (RunningService service = RunningService.start(dataDir)) {
            assertThat(searches(service)).isEqualTo(before);
            assertThat(service.get("/api/v1/collections/c").json().get("size").asInt()).isEqualTo(119);
        }
    }

    @Test
    void theSnapshotTimerSavesChangesWithoutWaitingForShutdown() throws Exception {
        try (RunningService service = RunningService.start(dataDir, "--imagesim.index.snapshot-every-writes=100000",
                "--imagesim.index.snapshot-interval-seconds=1")) {
            assertThat(service.postJson("/api/v1/collections", "{\"name\":\"timer\"}").status()).isEqualTo(201);
            Sample s = samples.get(0);
            assertThat(service.multipart("PUT", "/api/v1/collections/timer/images/" + s.id(), new Multipart()
                    .image("image", TestImages.encode(s.image(), "png"))).status()).isEqualTo(201);
            Path snapshot = dataDir.resolve("indexes/timer.snapshot");
            for (int i = 0; i < 100 && !Files.exists(snapshot); i++) {
                Thread.sleep(100);
            }
            assertThat(snapshot).exists();
        }
    }

    private List<JsonNode> searches(RunningService service) {
        List<JsonNode> results = new ArrayList<>();
        for (int i = 0; i < samples.size(); i += 10) {
            JsonNode reply = service.multipart("POST", "/api/v1/collections/c/search?k=5",
                    new Multipart().image("image", TestImages.encode(samples.get(i).image(), "png"))).json();
            results.add(reply.get("results"));
        }
        return results;
    }
}
