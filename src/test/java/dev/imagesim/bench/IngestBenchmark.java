package dev.imagesim.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.imagesim.RunningService;

/**
 * Batch ingest as a collection grows, not a test: 100,000 random 64-d vectors (each with a small metadata
 * document) into a bring-your-own-vector collection through {@code POST images:batch} of 250, on H2 and on
 * PostgreSQL side by side, printing the time of the first batches and the last ones and every tenth of the
 * way. A batch's cost should not depend on how many vectors the collection already holds. Sizes:
 * {@code -Dimagesim.bench.vectors}, {@code -Dimagesim.bench.batch}; PostgreSQL is the server
 * {@code dev.imagesim.TestDatabase} names (skipped with a line when none answers).
 */
@Tag("benchmark")
class IngestBenchmark {

    private static final int DIMENSION = 64;
    private static final int WINDOW = 10;

    @TempDir
    Path tempDir;

    @Test
    void batchCostStaysFlatAsTheCollectionGrows() {
        int vectors = Integer.getInteger("imagesim.bench.vectors", 100_000);
        int batch = Integer.getInteger("imagesim.bench.batch", 250);
        List<String> table = new ArrayList<>();
        table.add(String.format(Locale.ROOT, "%-10s %12s %12s %12s", "database", "vectors in", "batch ms", "of"));
        for (boolean postgres : new boolean[] {false, true}) {
            String name = postgres ? "postgresql" : "h2";
            double[] millis = ingest(tempDir.resolve(name), postgres, vectors, batch);
            int batches = millis.length;
            for (int at : new int[] {0, batches / 10, batches / 2, batches - WINDOW}) {
                table.add(String.format(Locale.ROOT, "%-10s %12d %12.1f %12s", name, at * batch, median(millis, at),
                        "median of " + WINDOW));
            }
            table.add(String.format(Locale.ROOT, "%-10s last/first batch cost: %.2fx", name,
                    median(millis, batches - WINDOW) / median(millis, 0)));
        }
        System.out.println(String.join("\n", table));
    }

    private static double[] ingest(Path dataDir, boolean postgres, int vectors, int batch) {
        Random random = new Random(7);
        try (RunningService service = RunningService.startOn(postgres, dataDir,
                "--imagesim.limits.max-images-per-request=" + batch, "--imagesim.limits.max-body-size=16MB")) {
            assertThat(service.postJson("/api/v1/collections",
                    "{\"name\":\"v\",\"dimension\":" + DIMENSION + "}").status()).isEqualTo(201);
            double[] millis = new double[vectors / batch];
            for (int b = 0; b < millis.length; b++) {
                String body = VectorBatches.body(random, DIMENSION, b * batch, batch,
                        i -> "{\"shard\":" + i % 7 + "}");
                long start = System.nanoTime();
                assertThat(service.postJson("/api/v1/collections/v/images:batch", body).status()).isEqualTo(200);
                millis[b] = (System.nanoTime() - start) / 1e6;
            }
            return millis;
        }
    }

    private static double median(double[] millis, int from) {
        double[] window = java.util.Arrays.copyOfRange(millis, from, Math.min(millis.length, from + WINDOW));
        java.util.Arrays.sort(window);
        return window[window.length / 2];
    }
}
