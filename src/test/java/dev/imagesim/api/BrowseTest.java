package dev.imagesim.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tools.jackson.databind.JsonNode;

import dev.imagesim.ApiClient.Reply;
import dev.imagesim.Multipart;
import dev.imagesim.RunningService;
import dev.imagesim.TestImages;
import dev.imagesim.TestImages.ShapeKind;

/**
 * Browsing a collection over HTTP: pages of image records with a cursor, the original bytes and thumbnails
 * with ETags (304 on revalidation), and the embedding map: deterministic, sampled to the limit, labelled by a
 * metadata key, separating well-separated clusters, and following new writes.
 */
class BrowseTest {

    @TempDir
    Path dataDir;

    @Test
    void pagesOriginalsAndThumbnails() throws IOException {
        try (RunningService service = RunningService.start(dataDir)) {
            assertThat(service.postJson("/api/v1/collections", "{\"name\":\"c\"}").status()).isEqualTo(201);
            byte[] original = TestImages.encode(TestImages.shape(ShapeKind.CIRCLE, Color.RED, 200, 0), "png");
            for (int i = 0; i < 12; i++) {
                byte[] png = i == 3 ? original : TestImages.png(ShapeKind.values()[i % 3], Color.BLUE);
                assertThat(service.multipart("PUT", "/api/v1/collections/c/images/img-" + (char) ('a' + i),
                        new Multipart().image("image", png).field("metadata", "{\"n\":" + i + "}")).status())
                        .isEqualTo(201);
            }
            List<String> ids = new ArrayList<>();
            String cursor = null;
            int pages = 0;
            do {
                Reply page = service.get("/api/v1/collections/c/images?limit=5" + (cursor == null ? "" : "&cursor=" + cursor));
                assertThat(page.status()).isEqualTo(200);
                for (JsonNode item : page.json().get("items")) {
                    ids.add(item.get("id").asString());
                    assertThat(item.has("vector")).isFalse();
                    assertThat(item.at("/metadata/n").asInt()).isEqualTo(item.get("id").asString().charAt(4) - 'a');
                }
                cursor = page.json().get("next").isNull() ? null : page.json().get("next").asString();
                pages++;
            } while (cursor != null);
            assertThat(pages).isEqualTo(3);
            assertThat(ids).hasSize(12).isSorted().doesNotHaveDuplicates();
            assertProblem(service.get("/api/v1/collections/c/images?limit=0"), 400, "limit-out-of-range");
            assertProblem(service.get("/api/v1/collections/c/images?cursor=not*base64"), 400, "cursor-malformed");
            assertProblem(service.get("/api/v1/collections/nope/images"), 404, "collection-not-found");

            HttpResponse<byte[]> content = service.getBytes("/api/v1/collections/c/images/img-d/content");
            assertThat(content.statusCode()).isEqualTo(200);
            assertThat(content.body()).isEqualTo(original);
            assertThat(content.headers().firstValue("Content-Type")).hasValue("image/png");
            String etag = content.headers().firstValue("ETag").orElseThrow();
            assertThat(service.getBytes("/api/v1/collections/c/images/img-d/content", "If-None-Match", etag)
                    .statusCode()).isEqualTo(304);

            HttpResponse<byte[]> thumbnail = service.getBytes("/api/v1/collections/c/images/img-d/thumbnail?size=32");
            assertThat(thumbnail.statusCode()).isEqualTo(200);
            BufferedImage small = ImageIO.read(new ByteArrayInputStream(thumbnail.body()));
            assertThat(Math.max(small.getWidth(), small.getHeight())).isEqualTo(32);
            assertThat(thumbnail.headers().firstValue("Content-Type").orElseThrow()).isIn("image/jpeg", "image/png");
            String thumbnailTag = thumbnail.headers().firstValue("ETag").orElseThrow();
            assertThat(thumbnailTag).isNotEqualTo(etag);
            assertThat(service.getBytes("/api/v1/collections/c/images/img-d/thumbnail?size=32", "If-None-Match",
                    thumbnailTag).statusCode()).isEqualTo(304);
            assertProblem(service.get("/api/v1/collections/c/images/img-d/thumbnail?size=8"), 400, "size-out-of-range");
            assertProblem(service.get("/api/v1/collections/c/images/none/thumbnail"), 404, "image-not-found");
        }
    }

    @Test
    void theMapIsDeterministicSampledLabelledAndFollowsWrites() {
        try (RunningService service = RunningService.start(dataDir)) {
            service.postJson("/api/v1/collections", "{\"name\":\"v\",\"dimension\":16,\"distance\":\"euclidean\"}");
            Random random = new Random(4);
            StringBuilder batch = new StringBuilder("{\"items\":[");
            for (int i = 0; i < 60; i++) {
                int cluster = i % 3;
                StringBuilder vector = new StringBuilder("[");
                for (int d = 0; d < 16; d++) {
                    double centre = d == cluster ? 20 : 0;
                    vector.append(d == 0 ? "" : ",").append(centre + random.nextGaussian());
                }
                batch.append(i == 0 ? "" : ",").append("{\"id\":\"p").append(i).append("\",\"vector\":")
                        .append(vector).append("],\"metadata\":{\"cluster\":\"k").append(cluster).append("\"}}");
            }
            assertThat(service.postJson("/api/v1/collections/v/images:batch", batch.append("]}").toString()).status())
                    .isEqualTo(200);

            Reply map = service.get("/api/v1/collections/v/projection?labelKey=cluster");
            assertThat(map.status()).isEqualTo(200);
            assertThat(map.json().get("method").asString()).isEqualTo("pca");
            assertThat(map.json().get("total").asInt()).isEqualTo(60);
            JsonNode points = map.json().get("points");
            assertThat(points).hasSize(60);
            assertThat(map.json().at("/explained/0").asDouble() + map.json().at("/explained/1").asDouble())
                    .as("three well-separated clusters lie in a plane").isGreaterThan(0.9);
            double[][] centres = new double[3][2];
            for (JsonNode point : points) {
                int cluster = point.get("label").asString().charAt(1) - '0';
                centres[cluster][0] += point.get("x").asDouble() / 20;
                centres[cluster][1] += point.get("y").asDouble() / 20;
            }
            for (JsonNode point : points) {
                int cluster = point.get("label").asString().charAt(1) - '0';
                int nearest = 0;
                for (int c = 1; c < 3; c++) {
                    if (distance(point, centres[c]) < distance(point, centres[nearest])) {
                        nearest = c;
                    }
                }
                assertThat(nearest).as(point.get("id").asString()).isEqualTo(cluster);
            }
            assertThat(service.get("/api/v1/collections/v/projection?labelKey=cluster").json()).isEqualTo(map.json());

            Reply sample = service.get("/api/v1/collections/v/projection?limit=7");
            assertThat(sample.json().get("points")).hasSize(7).allSatisfy(p -> assertThat(p.get("label").isNull()).isTrue());
            assertThat(service.get("/api/v1/collections/v/projection?limit=7").json()).isEqualTo(sample.json());
            assertProblem(service.get("/api/v1/collections/v/projection?limit=0"), 400, "limit-out-of-range");
            assertProblem(service.get("/api/v1/collections/v/images/p1/content"), 404, "image-has-no-content");
            assertProblem(service.get("/api/v1/collections/v/images/p1/thumbnail"), 404, "image-has-no-content");

            service.request("PUT", "/api/v1/collections/v/images/extra", "application/json",
                    "{\"vector\":[1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1]}".getBytes());
            assertThat(service.get("/api/v1/collections/v/projection?labelKey=cluster").json().get("total").asInt())
                    .isEqualTo(61);
        }
    }

    private static double distance(JsonNode point, double[] centre) {
        return Math.hypot(point.get("x").asDouble() - centre[0], point.get("y").asDouble() - centre[1]);
    }

    private static void assertProblem(Reply reply, int status, String code) {
        assertThat(reply.status()).isEqualTo(status);
        assertThat(reply.contentType()).startsWith("application/problem+json");
        assertThat(reply.json().get("code").asString()).isEqualTo(code);
    }
}
