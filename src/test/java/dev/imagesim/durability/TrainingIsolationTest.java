package dev.imagesim.durability;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tools.jackson.databind.JsonNode;

import dev.imagesim.ApiClient;
import dev.imagesim.ApiClient.Reply;
import dev.imagesim.ChildService;
import dev.imagesim.Multipart;
import dev.imagesim.TestImages;
import dev.imagesim.TestImages.ShapeKind;

/**
 * A training job that runs out of memory fails on its own: the job says so, and embedding, search and
 * ingest go on answering. The service runs in a child JVM with a small heap and the dataset is an IDX
 * file whose 600 MB of pixels do not fit in it (600 KB on disk: zeros compress well).
 */
class TrainingIsolationTest {

    private static final int COUNT = 60_000;
    private static final int SIDE = 100;

    @TempDir
    Path dataDir;

    @Test
    void aJobThatRunsOutOfMemoryFailsAndServingGoesOn() throws IOException {
        writeIdx(Files.createDirectories(dataDir.resolve("datasets/huge")));
        try (ChildService child = ChildService.start(dataDir, List.of("-Xmx320m"))) {
            ApiClient api = child.client();
            assertThat(api.postJson("/api/v1/collections", "{\"name\":\"c\"}").status()).isEqualTo(201);
            assertThat(put(api, "before", Color.RED).status()).isEqualTo(201);

            Reply submitted = api.postJson("/api/v1/training-jobs", """
                    {"dataset":{"type":"idx","path":"huge","validationFraction":0},
                     "trunk":{"architecture":"cnn","inputSize":28},
                     "objective":{"type":"softmax"},"epochs":1,"batch":{"p":2,"k":4}}""");
            assertThat(submitted.status()).isEqualTo(202);
            JsonNode failed = api.awaitJob(submitted.json().get("id").asString(),
                    job -> job.get("state").asString().equals("failed"), Duration.ofMinutes(3));
            assertThat(failed.get("error").asString()).contains("out of memory");

            assertThat(api.get("/actuator/health/liveness").status()).isEqualTo(200);
            assertThat(api.get("/actuator/health/readiness").status()).isEqualTo(200);
            assertThat(put(api, "after", Color.BLUE).status()).isEqualTo(201);
            Reply search = api.postJson("/api/v1/collections/c/search?k=2", "{\"id\":\"before\"}");
            assertThat(search.status()).isEqualTo(200);
            assertThat(search.json().get("results")).hasSize(2);
            assertThat(api.multipart("POST", "/api/v1/embeddings", new Multipart().image("image",
                    TestImages.png(ShapeKind.SQUARE, Color.GREEN))).status()).isEqualTo(200);
        }
    }

    private static Reply put(ApiClient api, String id, Color colour) {
        return api.multipart("PUT", "/api/v1/collections/c/images/" + id,
                new Multipart().image("image", TestImages.png(ShapeKind.CIRCLE, colour)));
    }

    /** IDX image and label files: a valid header for 60,000 images of 100×100 and all-zero pixels. */
    private static void writeIdx(Path directory) throws IOException {
        try (DataOutputStream images = gzip(directory.resolve("train-images-idx3-ubyte.gz"))) {
            images.writeInt(0x00000803);
            images.writeInt(COUNT);
            images.writeInt(SIDE);
            images.writeInt(SIDE);
            byte[] row = new byte[SIDE * SIDE];
            for (int i = 0; i < COUNT; i++) {
                images.write(row);
            }
        }
        try (DataOutputStream labels = gzip(directory.resolve("train-labels-idx1-ubyte.gz"))) {
            labels.writeInt(0x00000801);
            labels.writeInt(COUNT);
            for (int i = 0; i < COUNT; i++) {
                labels.writeByte(i % 10);
            }
        }
    }

    private static DataOutputStream gzip(Path file) throws IOException {
        OutputStream out = new GZIPOutputStream(Files.newOutputStream(file), 1 << 16) {
            {
                def.setLevel(Deflater.BEST_SPEED);
            }
        };
        return new DataOutputStream(out);
    }
}
