package dev.imagesim.embedding;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
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

import tools.jackson.databind.json.JsonMapper;

import dev.imagesim.ApiClient.Reply;
import dev.imagesim.DataDirectory;
import dev.imagesim.Multipart;
import dev.imagesim.RunningService;
import dev.imagesim.TestEngine;
import dev.imagesim.TestImages;
import dev.imagesim.embedding.EmbeddingBenchmark.Setup;
import dev.imagesim.engine.DjlRuntime;
import dev.imagesim.model.ModelBundle;
import dev.imagesim.model.ModelLoader;

/**
 * The embedding endpoint under concurrent clients, not a test: the service runs with each benchmarked
 * architecture as its default model (the DJL-built eager trunk with seeded weights, and the TorchScript trunk
 * that {@code bench/pytorch_embed_bench.py} traced, when present) and 1, 4 and 16 clients each send single
 * JPEGs of the model's input size to {@code POST /api/v1/embeddings} back to back for a fixed time, so server-side
 * micro-batching is what turns concurrency into throughput. Prints
 * {@code http-embed <engine> <arch> <clients> <images/s> <p50 ms> <p99 ms>}. Run by {@code bench/embed-bench.sh};
 * {@code -Dimagesim.bench.seconds} sets the time per level (default 20), {@code -Dimagesim.bench.warmup-seconds}
 * the untimed warm-up before each level (default 10).
 */
@Tag("benchmark")
class HttpEmbeddingBenchmark {

    private static final int[] CLIENTS = {1, 4, 16};

    @TempDir
    Path dataDir;

    @Test
    void concurrentSingleImageClients() throws Exception {
        Path peerDir = Path.of(System.getProperty("imagesim.bench.torchscript-dir", "target/bench"));
        int seconds = Integer.getInteger("imagesim.bench.seconds", 20);
        int warmupSeconds = Integer.getInteger("imagesim.bench.warmup-seconds", 10);
        for (String arch : System.getProperty("imagesim.bench.archs", "cnn,resnet18,resnet50").split(",")) {
            Setup setup = Setup.of(arch);
            List<byte[]> jpegs = setup.images().stream().map(image -> TestImages.encode(image, "jpg")).toList();
            measure("djl-eager", arch, seededBundle(arch, setup), jpegs, warmupSeconds, seconds);
            Path traced = peerDir.resolve(arch + "-torchscript");
            if (Files.exists(traced.resolve(ModelBundle.MANIFEST_FILE))) {
                measure("djl-torchscript", arch, traced, jpegs, warmupSeconds, seconds);
            } else {
                System.out.println("no TorchScript bundle at " + traced + ": run bench/embed-bench.sh");
            }
        }
    }

    private void measure(String engine, String arch, Path bundle, List<byte[]> jpegs, int warmupSeconds, int seconds)
            throws Exception {
        try (RunningService service = RunningService.start(dataDir.resolve(engine + "-" + arch),
                "--imagesim.model.default-bundle=" + bundle)) {
            for (int clients : CLIENTS) {
                // warm-up by time, not by count: the eager trunk's Java code needs C2 before it is measured
                run(service, jpegs, clients, Integer.MAX_VALUE, warmupSeconds * 1_000_000_000L);
                double[] latencies = run(service, jpegs, clients, Integer.MAX_VALUE, seconds * 1_000_000_000L);
                double elapsed = latencies[latencies.length - 1];
                double[] sorted = Arrays.copyOf(latencies, latencies.length - 1);
                Arrays.sort(sorted);
                System.out.printf("http-embed\t%s\t%s\t%d\t%.2f\t%.1f\t%.1f%n", engine, arch, clients,
                        sorted.length / elapsed, percentile(sorted, 0.50), percentile(sorted, 0.99));
            }
        }
    }

    /**
     * {@code clients} threads send single images back to back, {@code requests} in all or until
     * {@code nanos} have passed. Returns each request's milliseconds and, last, the seconds the run took.
     */
    private static double[] run(RunningService service, List<byte[]> jpegs, int clients, int requests, long nanos)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            long start = System.nanoTime();
            List<Future<List<Double>>> results = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int client = c;
                results.add(pool.submit(() -> {
                    List<Double> millis = new ArrayList<>();
                    for (int i = client; i < requests && System.nanoTime() - start < nanos; i += clients) {
                        long t0 = System.nanoTime();
                        Reply reply = service.multipart("POST", "/api/v1/embeddings",
                                new Multipart().file("image", "i.jpg", "image/jpeg", jpegs.get(i % jpegs.size())));
                        assertThat(reply.status()).as("embedding reply").isEqualTo(200);
                        millis.add((System.nanoTime() - t0) / 1e6);
                    }
                    return millis;
                }));
            }
            List<Double> all = new ArrayList<>();
            for (Future<List<Double>> result : results) {
                all.addAll(result.get());
            }
            all.add((System.nanoTime() - start) / 1e9);
            return all.stream().mapToDouble(Double::doubleValue).toArray();
        } finally {
            pool.shutdown();
        }
    }

    private Path seededBundle(String arch, Setup setup) throws IOException {
        ModelLoader loader = new ModelLoader(new DjlRuntime(new DataDirectory(dataDir), TestEngine.properties()));
        ModelBundle bundle = setup.seededBundle(arch, dataDir.resolve("bundle-" + arch), loader);
        JsonMapper.builder().build().writeValue(bundle.directory().resolve(ModelBundle.MANIFEST_FILE).toFile(),
                bundle.manifest());
        return bundle.directory();
    }

    private static double percentile(double[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.floor(p * sorted.length))];
    }

}
