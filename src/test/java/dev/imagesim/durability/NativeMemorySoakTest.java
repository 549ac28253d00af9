package dev.imagesim.durability;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.imagesim.ApiClient;
import dev.imagesim.ChildService;
import dev.imagesim.Multipart;
import dev.imagesim.TestImages;
import dev.imagesim.TestImages.ShapeKind;

/**
 * A soak of embed and search requests against a child JVM: after warm-up the number of open DJL NDArrays
 * is the same at every idle checkpoint, and the resident set stops growing. The heap is fixed and
 * pre-touched, so RSS growth would be native memory. {@code -Dimagesim.soak.requests} and
 * {@code -Dimagesim.soak.warm-up} set the length (default 4,000 after 2,000 of warm-up); the figures are
 * printed. Measured over 20,000 requests, RSS levels off after about 8,000 (docs/reliability.md).
 */
class NativeMemorySoakTest {

    private static final int REQUESTS = Integer.getInteger("imagesim.soak.requests", 4000);
    private static final int WARM_UP = Integer.getInteger("imagesim.soak.warm-up", 2000);
    private static final int CHECKPOINTS = 8;
    private static final int CLIENTS = 2;
    /** Loose on purpose: JIT and malloc arenas settle for thousands of requests; the NDArray count is exact. */
    private static final long RSS_GROWTH_LIMIT = 64L << 20;

    @TempDir
    Path dataDir;

    @Test
    void openNdArraysStayFlatAndRssStopsGrowing() throws Exception {
        try (ChildService child = ChildService.start(dataDir,
                List.of("-Xms256m", "-Xmx256m", "-XX:+AlwaysPreTouch"))) {
            ApiClient api = child.client();
            assertThat(api.postJson("/api/v1/collections", "{\"name\":\"c\"}").status()).isEqualTo(201);
            for (int i = 0; i < 50; i++) {
                assertThat(api.multipart("PUT", "/api/v1/collections/c/images/i" + i,
                        new Multipart().image("image", image(i))).status()).isEqualTo(201);
            }
            run(api, WARM_UP);
            double arraysAfterWarmUp = gauge(api, "imagesim_djl_ndarrays");
            double rssAfterWarmUp = gauge(api, "imagesim_process_rss_bytes");
            List<String> figures = new ArrayList<>();
            double rss = rssAfterWarmUp;
            for (int checkpoint = 1; checkpoint <= CHECKPOINTS; checkpoint++) {
                run(api, REQUESTS / CHECKPOINTS);
                double arrays = gauge(api, "imagesim_djl_ndarrays");
                rss = gauge(api, "imagesim_process_rss_bytes");
                figures.add(String.format("%d requests: %.0f NDArrays, RSS %.1f MB",
                        WARM_UP + checkpoint * REQUESTS / CHECKPOINTS, arrays, rss / (1 << 20)));
                assertThat(arrays).as("open NDArrays after %d more requests", checkpoint * REQUESTS / CHECKPOINTS)
                        .isEqualTo(arraysAfterWarmUp);
            }
            System.out.printf("native memory soak: after %d warm-up requests %.0f NDArrays, RSS %.1f MB; %s; "
                    + "RSS growth after warm-up %.1f MB%n", WARM_UP, arraysAfterWarmUp, rssAfterWarmUp / (1 << 20),
                    String.join("; ", figures), (rss - rssAfterWarmUp) / (1 << 20));
            assertThat(rss - rssAfterWarmUp).as("RSS growth after warm-up, bytes").isLessThan(RSS_GROWTH_LIMIT);
        }
    }

    private static byte[] image(int n) {
        return TestImages.encode(TestImages.shape(ShapeKind.values()[n % 4], new Color(n * 104729 % 0xFFFFFF), 64,
                n % 8), "png");
    }

    /** Half embeddings, half searches by image, from concurrent clients; every answer must be 200. */
    private static void run(ApiClient api, int requests) throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                done.add(clients.submit(() -> {
                    for (int i = client; i < requests; i += CLIENTS) {
                        Multipart body = new Multipart().image("image", image(i));
                        int status = i % 2 == 0
                                ? api.multipart("POST", "/api/v1/embeddings", body).status()
                                : api.multipart("POST", "/api/v1/collections/c/search?k=5", body).status();
                        assertThat(status).isEqualTo(200);
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            clients.shutdown();
        }
    }

    private static double gauge(ApiClient api, String name) {
        Matcher value = Pattern.compile("(?m)^" + name + "(\\{[^}]*\\})? (\\S+)$").matcher(api.text("/actuator/prometheus"));
        assertThat(value.find()).as(name + " in the Prometheus scrape").isTrue();
        return Double.parseDouble(value.group(2));
    }
}
