package dev.imagesim.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.imagesim.ApiClient.Reply;
import dev.imagesim.RunningService;

/**
 * Filtered search over HTTP by selectivity, not a test: a collection of 60,000 random 64-d vectors (cosine),
 * each with {@code {"third":i%3, "hundredth":i%100}} and one with {@code "rare":true}, on H2 and on
 * PostgreSQL; then searches by vector (k 10) with no filter, a filter matching 1/3, 1/100, one image and none,
 * each as the service answers by default and with {@code imagesim.search.filter-exact-limit=0}, which never
 * asks the label index: the graph search widens up to the whole index, as filters ran before it existed.
 * Each side runs in a fresh start of the service over the filled data directory (the default last, on a JIT
 * the other has warmed), one untimed round first; prints the median and the worst of the requests' times.
 * Sizes: {@code -Dimagesim.bench.vectors}, {@code -Dimagesim.bench.queries} (20 a filter) and
 * {@code -Dimagesim.bench.queries-limit-0} (5).
 */
@Tag("benchmark")
class FilterBenchmark {

    private static final int DIMENSION = 64;
    private static final int BATCH = 1000;
    private static final Map<String, String> FILTERS = new LinkedHashMap<>();

    static {
        FILTERS.put("none", null);
        FILTERS.put("1 in 3", "{\"third\":1}");
        FILTERS.put("1 in 100", "{\"hundredth\":42}");
        FILTERS.put("1 image", "{\"rare\":true}");
        FILTERS.put("no match", "{\"third\":7}");
    }

    @TempDir
    Path tempDir;

    @Test
    void filteredSearchBySelectivity() {
        int vectors = Integer.getInteger("imagesim.bench.vectors", 60_000);
        int queries = Integer.getInteger("imagesim.bench.queries", 20);
        int slowQueries = Integer.getInteger("imagesim.bench.queries-limit-0", 5);
        List<String> table = new ArrayList<>();
        table.add(String.format(Locale.ROOT, "%-10s %-10s %22s %22s", "database", "filter", "default: p50/max ms",
                "limit 0: p50/max ms"));
        for (boolean postgres : new boolean[] {false, true}) {
            String name = postgres ? "postgresql" : "h2";
            Path dataDir = tempDir.resolve(name);
            try (RunningService service = RunningService.startOn(postgres, dataDir,
                    "--imagesim.limits.max-images-per-request=" + BATCH, "--imagesim.limits.max-body-size=16MB")) {
                fill(service, vectors);
            }
            Map<String, double[]> widening;
            try (RunningService service = RunningService.startOn(postgres, dataDir,
                    "--imagesim.search.filter-exact-limit=0")) {
                widening = measure(service, slowQueries);
            }
            Map<String, double[]> now;
            try (RunningService service = RunningService.startOn(postgres, dataDir)) {
                now = measure(service, queries);
            }
            for (String filter : FILTERS.keySet()) {
                table.add(String.format(Locale.ROOT, "%-10s %-10s %15.1f / %5.1f %15.1f / %5.1f", name, filter,
                        median(now.get(filter)), max(now.get(filter)), median(widening.get(filter)),
                        max(widening.get(filter))));
            }
        }
        System.out.println(String.join("\n", table));
    }

    private static void fill(RunningService service, int vectors) {
        assertThat(service.postJson("/api/v1/collections", "{\"name\":\"v\",\"dimension\":" + DIMENSION + "}")
                .status()).isEqualTo(201);
        Random random = new Random(5);
        int rare = vectors / 2 + 1;
        for (int first = 0; first < vectors; first += BATCH) {
            String body = VectorBatches.body(random, DIMENSION, first, Math.min(BATCH, vectors - first),
                    i -> i == rare ? "{\"rare\":true}" : "{\"third\":" + i % 3 + ",\"hundredth\":" + i % 100 + "}");
            assertThat(service.postJson("/api/v1/collections/v/images:batch", body).status()).isEqualTo(200);
        }
    }

    /** Milliseconds of each search, by filter, after one untimed round. */
    private static Map<String, double[]> measure(RunningService service, int queries) {
        Map<String, double[]> millis = new LinkedHashMap<>();
        Random random = new Random(9);
        for (int round = -1; round < queries; round++) {
            String query = VectorBatches.vector(random, DIMENSION);
            for (Map.Entry<String, String> filter : FILTERS.entrySet()) {
                String body = "{\"vector\":" + query + ",\"k\":10"
                        + (filter.getValue() == null ? "" : ",\"filter\":" + filter.getValue()) + "}";
                long start = System.nanoTime();
                Reply reply = service.postJson("/api/v1/collections/v/search", body);
                double elapsed = (System.nanoTime() - start) / 1e6;
                assertThat(reply.status()).isEqualTo(200);
                if (round >= 0) {
                    millis.computeIfAbsent(filter.getKey(), key -> new double[queries])[round] = elapsed;
                }
            }
        }
        return millis;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static double max(double[] values) {
        return Arrays.stream(values).max().orElseThrow();
    }
}
