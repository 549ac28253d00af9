package dev.imagesim.bench;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.imagesim.FashionMnistSubset;
import dev.imagesim.FashionMnistSubset.Sample;
import dev.imagesim.Multipart;
import dev.imagesim.RunningService;
import dev.imagesim.TestImages;
import dev.imagesim.embedding.EmbeddingModel;
import dev.imagesim.embedding.EmbeddingModels;

/**
 * Figures for the default model, not a test: embedding throughput at batch 1 and 32 (in process, no HTTP)
 * and search-by-vector latency over HTTP on loopback. Run with {@code ./mvnw -Pbench test}.
 */
@Tag("benchmark")
class ServiceBenchmark {

    @TempDir
    Path dataDir;

    @Test
    void defaultModelThroughputAndSearchLatency() {
        List<BufferedImage> images = FashionMnistSubset.load().stream().map(Sample::image).toList();
        try (RunningService service = RunningService.start(dataDir)) {
            EmbeddingModel model = service.bean(EmbeddingModels.class).defaultModel();
            for (int batch : new int[] {1, 32}) {
                embed(model, images, batch, 64); // warm-up
                double[] rates = new double[5];
                for (int run = 0; run < rates.length; run++) {
                    rates[run] = embed(model, images, batch, 256);
                }
                System.out.printf("embedding batch %d: median %.1f images/s over 5 runs of 256 images %s%n",
                        batch, median(rates), Arrays.toString(round(rates)));
            }

            service.postJson("/api/v1/collections", "{\"name\":\"bench\"}");
            for (int start = 0; start < images.size(); start += 100) {
                Multipart batch = new Multipart();
                for (int i = start; i < Math.min(images.size(), start + 100); i++) {
                    batch.file("image", "i" + i + ".png", "image/png", TestImages.encode(images.get(i), "png"));
                }
                service.multipart("POST", "/api/v1/collections/bench/images:batch", batch);
            }
            float[][] queries = model.embed(images.subList(0, 50));
            for (int i = 0; i < 200; i++) {
                service.postJson("/api/v1/collections/bench/search", vectorQuery(queries[i % 50]));
            }
            double[] latencies = new double[1000];
            for (int i = 0; i < latencies.length; i++) {
                long t0 = System.nanoTime();
                service.postJson("/api/v1/collections/bench/search", vectorQuery(queries[i % 50]));
                latencies[i] = (System.nanoTime() - t0) / 1e6;
            }
            Arrays.sort(latencies);
            System.out.printf("search by vector over HTTP (300 images, k=10, 1 client): p50 %.2f ms, p99 %.2f ms%n",
                    latencies[500], latencies[990]);
            long t0 = System.nanoTime();
            for (int i = 0; i < 100; i++) {
                service.multipart("POST", "/api/v1/collections/bench/search", new Multipart()
                        .image("image", TestImages.encode(images.get(i), "png")));
            }
            System.out.printf("search by image over HTTP (decode + embed + search): mean %.2f ms%n",
                    (System.nanoTime() - t0) / 1e6 / 100);
        }
    }

    /**
     * Single-image embedding calls from 1, 4 and 16 concurrent callers, with micro-batching on and off:
     * images/s (median of 5 runs of 512 images each).
     */
    @Test
    void microBatchingUnderConcurrency() throws Exception {
        List<BufferedImage> images = FashionMnistSubset.load().stream().map(Sample::image).toList();
        for (boolean batching : new boolean[] {false, true}) {
            try (RunningService service = RunningService.start(dataDir.resolve("batching-" + batching),
                    "--imagesim.embedding.micro-batching=" + batching)) {
                EmbeddingModel model = service.bean(EmbeddingModels.class).defaultModel();
                for (int callers : new int[] {1, 4, 16}) {
                    concurrentSingles(model, images, callers, 256); // warm-up
                    double[] rates = new double[5];
                    for (int run = 0; run < rates.length; run++) {
                        rates[run] = concurrentSingles(model, images, callers, 512);
                    }
                    System.out.printf("single-image calls, %2d callers, micro-batching %-5s: median %.1f images/s %s%n",
                            callers, batching, median(rates), Arrays.toString(round(rates)));
                }
            }
        }
    }

    private static double concurrentSingles(EmbeddingModel model, List<BufferedImage> images, int callers, int count)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            List<Future<?>> done = new ArrayList<>();
            long t0 = System.nanoTime();
            for (int c = 0; c < callers; c++) {
                int first = c;
                done.add(pool.submit(() -> {
                    for (int i = first; i < count; i += callers) {
                        model.embed(List.of(images.get(i % images.size())));
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            return count / ((System.nanoTime() - t0) / 1e9);
        } finally {
            pool.shutdown();
        }
    }

    private static String vectorQuery(float[] vector) {
        return "{\"vector\":" + Arrays.toString(vector) + ",\"k\":10}";
    }

    private static double embed(EmbeddingModel model, List<BufferedImage> images, int batch, int count) {
        long t0 = System.nanoTime();
        for (int done = 0; done < count; done += batch) {
            int from = done % (images.size() - batch);
            model.embed(images.subList(from, from + batch));
        }
        return count / ((System.nanoTime() - t0) / 1e9);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static double[] round(double[] values) {
        return Arrays.stream(values).map(v -> Math.round(v * 10) / 10.0).toArray();
    }
}
