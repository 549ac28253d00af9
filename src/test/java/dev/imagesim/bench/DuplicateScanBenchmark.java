package dev.imagesim.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.awt.image.RescaleOp;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

import tools.jackson.databind.JsonNode;

import dev.imagesim.RunningService;
import dev.imagesim.TestImages;
import dev.imagesim.duplicates.PerceptualHash;
import dev.imagesim.embedding.EmbeddingModels;
import dev.imagesim.training.data.IdxDataset;

/**
 * Whole-collection scans at 100,000 images, not a test: Fashion-MNIST's 70,000 images and 30,000 copies of
 * the first training images (JPEG re-encode, resized to 20 px, shifted by a pixel, brighter: a quarter each).
 * The {@code embedding} scan runs over a collection of their default-model vectors (stored through
 * {@code images:batch}); the {@code hash} scan over a collection whose rows carry their perceptual hashes,
 * written straight into the catalog's table (ingesting 100,000 originals would take most of an hour here and
 * is not what is measured). Prints each scan's wall time from POST to the end and the groups found. Size:
 * {@code -Dimagesim.bench.copies} (default 30000).
 */
@Tag("benchmark")
class DuplicateScanBenchmark {

    @TempDir
    Path dataDir;

    @Test
    void scansOfAHundredThousandImages() throws Exception {
        int copies = Integer.getInteger("imagesim.bench.copies", 30000);
        Path mnist = FashionMnistJobs.directory();
        IdxDataset train = IdxDataset.read(mnist.resolve("train-images-idx3-ubyte.gz"));
        IdxDataset test = IdxDataset.read(mnist.resolve("t10k-images-idx3-ubyte.gz"));
        List<BufferedImage> images = new ArrayList<>();
        for (int i = 0; i < train.size(); i++) {
            images.add(train.image(i));
        }
        for (int i = 0; i < test.size(); i++) {
            images.add(test.image(i));
        }
        for (int i = 0; i < copies; i++) {
            images.add(copy(train.image(i), i % 4));
        }
        try (RunningService service = RunningService.start(dataDir)) {
            long start = System.nanoTime();
            EmbeddingModels models = service.bean(EmbeddingModels.class);
            int dimension = models.defaultModel().manifest().embeddingDim();
            assertThat(service.postJson("/api/v1/collections", "{\"name\":\"v\",\"dimension\":" + dimension
                    + "}").status()).isEqualTo(201);
            for (int from = 0; from < images.size(); from += 250) {
                List<BufferedImage> batch = images.subList(from, Math.min(images.size(), from + 250));
                float[][] vectors = models.defaultModel().embed(batch);
                StringBuilder items = new StringBuilder("{\"items\":[");
                for (int i = 0; i < vectors.length; i++) {
                    items.append(i == 0 ? "" : ",").append("{\"id\":\"").append(id(from + i, train.size(), test.size()))
                            .append("\",\"vector\":").append(java.util.Arrays.toString(vectors[i])).append('}');
                }
                assertThat(service.postJson("/api/v1/collections/v/images:batch", items.append("]}").toString())
                        .status()).isEqualTo(200);
            }
            System.out.printf(Locale.ROOT, "%n%d images embedded and stored as vectors in %.0f s%n", images.size(),
                    (System.nanoTime() - start) / 1e9);

            assertThat(service.postJson("/api/v1/collections", "{\"name\":\"h\"}").status()).isEqualTo(201);
            JdbcTemplate jdbc = service.bean(JdbcTemplate.class);
            OffsetDateTime now = OffsetDateTime.ofInstant(Instant.now(), ZoneOffset.UTC);
            List<Object[]> rows = new ArrayList<>();
            for (int i = 0; i < images.size(); i++) {
                rows.add(new Object[] {"h", id(i, train.size(), test.size()), i + 1, false, String.format("%064x", i),
                        now, now, PerceptualHash.of(images.get(i))});
                if (rows.size() == 5000 || i == images.size() - 1) {
                    jdbc.batchUpdate("INSERT INTO images (collection_name, id, seq, deleted, blob_sha256, created_at, "
                            + "updated_at, phash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows);
                    rows.clear();
                }
            }

            scan(service, "v", "{\"method\":\"embedding\",\"threshold\":0.0005}");
            scan(service, "h", "{\"method\":\"hash\"}");
            scan(service, "h", "{\"method\":\"hash\",\"threshold\":8}");
            scan(service, "h", "{\"method\":\"exact\"}");
        }
    }

    private static void scan(RunningService service, String collection, String request) {
        long start = System.nanoTime();
        String id = service.postJson("/api/v1/collections/" + collection + "/duplicates", request).json().get("id")
                .asString();
        JsonNode scan;
        do {
            scan = service.get("/api/v1/collections/" + collection + "/duplicates?limit=1").json();
        } while (scan.get("finishedAt").isNull() || !scan.get("id").asString().equals(id));
        assertThat(scan.get("state").asString()).as(scan.toString()).isEqualTo("succeeded");
        System.out.printf(Locale.ROOT, "scan %s of %d images: %.1f s, %d groups, %d copies%n", request,
                scan.get("images").asInt(), (System.nanoTime() - start) / 1e9, scan.get("groupCount").asInt(),
                scan.get("duplicateCount").asInt());
    }

    private static String id(int index, int train, int test) {
        return index < train ? "train" + index : index < train + test ? "test" + (index - train)
                : "copy" + (index - train - test);
    }

    private static BufferedImage copy(BufferedImage image, int kind) throws java.io.IOException {
        return switch (kind) {
            case 0 -> ImageIO.read(new java.io.ByteArrayInputStream(TestImages.encode(image, "jpeg")));
            case 1 -> TestImages.resized(image, 20);
            case 2 -> TestImages.shifted(image, 1);
            default -> new RescaleOp(1.2f, 15f, null).filter(TestImages.shifted(image, 0), null);
        };
    }
}
