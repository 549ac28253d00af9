package dev.imagesim.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.imagesim.ApiClient.Reply;
import dev.imagesim.Multipart;
import dev.imagesim.RunningService;
import dev.imagesim.TestImages;
import dev.imagesim.TestImages.ShapeKind;

/**
 * Concurrent search, embedding and ingest over loopback for a bounded time ({@code -Dimagesim.load.seconds},
 * default 6): no answer may be a 5xx or a broken connection, and every operation must succeed. Latency
 * percentiles and throughput per operation are printed, never asserted: the machine is shared and noisy.
 */
class LoadTest {

    private static final int SECONDS = Integer.getInteger("imagesim.load.seconds", 6);
    private static final int SEEDED = 300;

    /** One kind of request and the clients that send it. */
    private record Operation(String name, int clients, BiFunction<Random, Integer, Reply> call) {
    }

    @TempDir
    Path dataDir;

    @Test
    void mixedTrafficGetsNoServerErrors() throws Exception {
        try (RunningService service = RunningService.start(dataDir)) {
            assertThat(service.postJson("/api/v1/collections", "{\"name\":\"c\"}").status()).isEqualTo(201);
            for (int i = 0; i < SEEDED; i++) {
                assertThat(put(service, "seed-" + i, new Random(i)).status()).isEqualTo(201);
            }
            AtomicInteger ingested = new AtomicInteger();
            List<Operation> operations = List.of(
                    new Operation("search by image", 2, (random, n) -> service.multipart("POST",
                            "/api/v1/collections/c/search?k=10", new Multipart().image("image", image(random)))),
                    new Operation("search by id", 1, (random, n) -> service.postJson(
                            "/api/v1/collections/c/search?k=10", "{\"id\":\"seed-" + random.nextInt(SEEDED) + "\"}")),
                    new Operation("embed", 1, (random, n) -> service.multipart("POST", "/api/v1/embeddings",
                            new Multipart().image("image", image(random)))),
                    new Operation("ingest", 2, (random, n) -> put(service, "load-" + ingested.incrementAndGet(),
                            random)));
            Map<String, List<Long>> latencies = new ConcurrentHashMap<>();
            Map<String, Integer> failures = new ConcurrentHashMap<>();
            long end = System.nanoTime() + SECONDS * 1_000_000_000L;
            ExecutorService clients = Executors.newCachedThreadPool();
            List<Future<?>> running = new ArrayList<>();
            int seed = 0;
            for (Operation operation : operations) {
                List<Long> times = Collections.synchronizedList(new ArrayList<>());
                latencies.put(operation.name(), times);
                for (int c = 0; c < operation.clients(); c++) {
                    Random random = new Random(seed++);
                    running.add(clients.submit(() -> {
                        for (int n = 0; System.nanoTime() < end; n++) {
                            long start = System.nanoTime();
                            Reply reply;
                            try {
                                reply = operation.call().apply(random, n);
                            } catch (IllegalStateException e) {
                                failures.merge(operation.name() + " (connection: " + e.getCause() + ")", 1, Integer::sum);
                                continue;
                            }
                            times.add(System.nanoTime() - start);
                            if (reply.status() >= 300) {
                                failures.merge(operation.name() + " " + reply.status(), 1, Integer::sum);
                            }
                        }
                    }));
                }
            }
            for (Future<?> client : running) {
                client.get();
            }
            clients.shutdown();
            report(latencies);
            assertThat(failures).as("failed requests by operation and status").isEmpty();
            assertThat(service.get("/api/v1/collections/c").json().get("size").asInt())
                    .isEqualTo(SEEDED + ingested.get());
        }
    }

    private static Reply put(RunningService service, String id, Random random) {
        return service.multipart("PUT", "/api/v1/collections/c/images/" + id,
                new Multipart().image("image", image(random)).field("metadata", "{\"id\":\"" + id + "\"}"));
    }

    private static byte[] image(Random random) {
        return TestImages.encode(TestImages.shape(ShapeKind.values()[random.nextInt(4)],
                new Color(random.nextInt(0xFFFFFF)), 64, random.nextInt(8)), "png");
    }

    private static void report(Map<String, List<Long>> latencies) {
        StringBuilder out = new StringBuilder("load test, " + SECONDS + " s on loopback:");
        latencies.forEach((name, times) -> {
            List<Long> sorted = new ArrayList<>(times);
            Collections.sort(sorted);
            out.append(String.format("%n  %-16s %6d requests %7.1f/s  p50 %6.1f ms  p99 %6.1f ms", name,
                    sorted.size(), sorted.size() / (double) SECONDS, percentile(sorted, 0.50), percentile(sorted, 0.99)));
        });
        System.out.println(out);
    }

    private static double percentile(List<Long> sorted, double p) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        return sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(p * sorted.size()) - 1)) / 1e6;
    }
}
