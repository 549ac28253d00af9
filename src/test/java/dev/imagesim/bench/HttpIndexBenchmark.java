package dev.imagesim.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tools.jackson.databind.JsonNode;

import dev.imagesim.ApiClient.Reply;
import dev.imagesim.ChildService;

/**
 * The index over HTTP at scale, not a test: a bring-your-own-vector collection of 1,000,000 random 128-d
 * vectors (cosine) filled through {@code POST images:batch}, then {@code POST /search} by vector from 8
 * concurrent connections of {@code wrk} on loopback, then a graceful stop and a timed start over that data
 * directory, and last the collection's ef tuned ({@code POST index/tune}) to each target recall@10 (0.9,
 * 0.95 and 0.99 unless told), the searches measured at each. The service runs in a child JVM, as a user
 * would run it. Searches are measured after a warm-up (JIT and caches take about a minute to settle with 2
 * busy cores) as the median of three runs. Sizes: {@code -Dimagesim.bench.vectors},
 * {@code -Dimagesim.bench.search-seconds} (each run), {@code -Dimagesim.bench.warmup-seconds},
 * {@code -Dimagesim.bench.tune-targets} (comma-separated), {@code -Dimagesim.bench.m} (the graph's links per
 * node, default 16; efConstruction stays 200); {@code -Dimagesim.bench.http-dir} keeps the data
 * directory; {@code -Dimagesim.bench.child-jvm-args} adds options to the service's JVM (a profiler, say).
 */
@Tag("benchmark")
class HttpIndexBenchmark {

    private static final int DIMENSION = 128;
    private static final int BATCH = 1000;
    private static final int INGEST_CLIENTS = 2;
    private static final int SEARCH_CLIENTS = 8;
    /** Target recalls to tune to, {@code -Dimagesim.bench.tune-targets}: random 128-d vectors need low ones. */
    private static final double[] TUNE_TARGETS = Arrays.stream(
            System.getProperty("imagesim.bench.tune-targets", "0.9,0.95,0.99").split(","))
            .mapToDouble(Double::parseDouble).toArray();
    private static final int RECALL_QUERIES = 200;
    private static final List<String> JVM = Stream.concat(Stream.of("-Xmx6g"),
            Arrays.stream(System.getProperty("imagesim.bench.child-jvm-args", "").split(" ")).filter(a -> !a.isBlank()))
            .toList();
    private static final String[] ARGS = {"--imagesim.limits.max-images-per-request=" + BATCH,
        "--imagesim.limits.max-body-size=16MB", "--logging.level.dev.imagesim=INFO"};

    @TempDir
    Path tempDir;

    @Test
    void millionVectorsOverHttp() throws Exception {
        assumeTrue(Stream.of(System.getenv("PATH").split(":")).anyMatch(dir -> Files.isExecutable(Path.of(dir, "wrk"))),
                "needs wrk on the PATH (Debian package wrk)");
        int vectors = Integer.getInteger("imagesim.bench.vectors", 1_000_000);
        int searchSeconds = Integer.getInteger("imagesim.bench.search-seconds", 20);
        int warmupSeconds = Integer.getInteger("imagesim.bench.warmup-seconds", 60);
        Path dataDir = Path.of(System.getProperty("imagesim.bench.http-dir", tempDir.toString()));
        Files.createDirectories(dataDir);
        long stopStart;
        try (ChildService service = ChildService.start(dataDir, JVM, ARGS)) {
            Reply created = service.client().postJson("/api/v1/collections",
                    "{\"name\":\"bench\",\"dimension\":" + DIMENSION + ",\"distance\":\"cosine\","
                    + "\"index\":{\"type\":\"hnsw\",\"m\":" + Integer.getInteger("imagesim.bench.m", 16) + "}}");
            assertThat(created.status()).as("collection created").isIn(200, 201);
            ingest(service, vectors);
            System.out.printf("service RSS after ingest: %d MB%n", rssMegabytes(service.pid()));
            search(service, warmupSeconds, searchSeconds, 3, "default ef");
            stopStart = System.nanoTime();
        }
        System.out.printf("graceful stop (final snapshot, database closed): %.1f s%n", (System.nanoTime() - stopStart) / 1e9);
        long snapshotBytes;
        try (Stream<Path> files = Files.list(dataDir.resolve("indexes"))) {
            snapshotBytes = files.mapToLong(HttpIndexBenchmark::size).sum();
        }
        long start = System.nanoTime();
        try (ChildService restarted = ChildService.start(dataDir, JVM, ARGS)) {
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("start-up with %d vectors and a %d MB snapshot: %.1f s to ready; its phases:%n", vectors,
                    snapshotBytes >> 20, seconds);
            restarted.output().lines().filter(line -> line.matches(".*(Starting Imagesim|HikariPool-1 - Start|"
                    + "Successfully validated|index of|DJL engine|default model|Tomcat started|Started Imagesim).*"))
                    .forEach(line -> System.out.println("  " + line.substring(0, Math.min(line.length(), 180))));
            search(restarted, 5, searchSeconds, 1, "default ef"); // right after the start: JIT and caches still cold
            tunedSearches(restarted, vectors, searchSeconds);
        }
    }

    private static void ingest(ChildService service, int vectors) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        AtomicInteger nextBatch = new AtomicInteger();
        AtomicInteger stored = new AtomicInteger();
        int batches = (vectors + BATCH - 1) / BATCH;
        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(INGEST_CLIENTS);
        try {
            List<Future<?>> clients = new ArrayList<>();
            for (int c = 0; c < INGEST_CLIENTS; c++) {
                clients.add(pool.submit(() -> {
                    for (int b = nextBatch.getAndIncrement(); b < batches; b = nextBatch.getAndIncrement()) {
                        int from = b * BATCH;
                        String body = batchBody(from, Math.min(vectors, from + BATCH));
                        HttpResponse<String> reply = http.send(post(service, "/api/v1/collections/bench/images:batch",
                                body), HttpResponse.BodyHandlers.ofString());
                        if (reply.statusCode() / 100 != 2 || !reply.body().contains("\"failed\":0")) {
                            throw new IllegalStateException("batch " + b + ": " + reply.statusCode() + " "
                                    + reply.body().substring(0, Math.min(300, reply.body().length())));
                        }
                        int done = stored.addAndGet(Math.min(vectors, from + BATCH) - from);
                        if (done % 100_000 < BATCH) {
                            System.out.printf("  ingested %,d vectors, %.0f/s%n", done,
                                    done / ((System.nanoTime() - start) / 1e9));
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> client : clients) {
                client.get();
            }
        } finally {
            pool.shutdown();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("batch ingest: %,d vectors in %.0f s, %.0f vectors/s (%d clients, %d a batch)%n", vectors,
                seconds, vectors / seconds, INGEST_CLIENTS, BATCH);
    }

    /**
     * For each target recall: {@code POST index/tune}, waited for with {@code Prefer: wait} (200 of the collection's own vectors as queries, each
     * left out while it is one, k=10) sets the collection's default ef; then the recall@10 at that ef of
     * queries that are not stored vectors (the first 200 of the searches' queries, exact top 10 by brute
     * force here), and the searches again.
     */
    private void tunedSearches(ChildService service, int vectors, int seconds) throws Exception {
        List<float[]> heldOut = queries().subList(0, RECALL_QUERIES);
        List<Set<String>> exact = exactTop10(heldOut, vectors);
        for (double target : TUNE_TARGETS) {
            long start = System.nanoTime();
            Reply tuned = service.client().request("POST", "/api/v1/collections/bench/index/tune",
                    "application/json", ("{\"targetRecall\":" + target + ",\"k\":10,\"sampleSize\":200}")
                    .getBytes(StandardCharsets.UTF_8), "Prefer", "wait=300");
            assertThat(tuned.status()).as("tuning answered: %s", tuned.json()).isEqualTo(200);
            JsonNode result = tuned.json().get("result");
            assertThat(result).as("tuning succeeded: %s", tuned.json()).isNotNull();
            int ef = result.get("ef").asInt();
            System.out.printf("tuned to recall@10 %.2f in %.1f s: ef %d, recall %.4f; sweep %s%n", target,
                    (System.nanoTime() - start) / 1e9, ef, result.get("recall").asDouble(), result.get("sweep"));
            System.out.printf("  recall@10 of %d of the search queries (not stored vectors) at that ef: %.4f%n",
                    RECALL_QUERIES, recall(service, heldOut, exact));
            search(service, 5, seconds, 3, "ef " + ef + " (tuned to recall " + target + ")");
        }
    }

    /** Mean recall@10 of searches at the collection's default ef against the exact top 10. */
    private static double recall(ChildService service, List<float[]> queries, List<Set<String>> exact) {
        int found = 0;
        for (int q = 0; q < queries.size(); q++) {
            Reply reply = service.client().postJson("/api/v1/collections/bench/search",
                    "{\"vector\":" + json(queries.get(q)) + ",\"k\":10}");
            assertThat(reply.status()).as("search answered: %s", reply.json()).isEqualTo(200);
            for (JsonNode hit : reply.json().get("results")) {
                found += exact.get(q).contains(hit.get("id").asString()) ? 1 : 0;
            }
        }
        return found / (10.0 * queries.size());
    }

    /** The exact top 10 by cosine of each query over the vectors the ingest sent, regenerated from their seeds. */
    private static List<Set<String>> exactTop10(List<float[]> queries, int vectors) {
        float[][] unitQueries = queries.stream().map(HttpIndexBenchmark::unit).toArray(float[][]::new);
        List<PriorityQueue<Neighbor>> best = Stream.generate(
                () -> new PriorityQueue<>(Comparator.comparingDouble(Neighbor::similarity)))
                .limit(queries.size()).toList();
        for (int i = 0; i < vectors; i++) {
            float[] v = unit(vector(new Random(i)));
            for (int q = 0; q < unitQueries.length; q++) {
                float similarity = 0;
                for (int d = 0; d < DIMENSION; d++) {
                    similarity += unitQueries[q][d] * v[d];
                }
                PriorityQueue<Neighbor> top = best.get(q);
                if (top.size() < 10 || similarity > top.peek().similarity()) {
                    top.add(new Neighbor(i, similarity));
                    if (top.size() > 10) {
                        top.poll();
                    }
                }
            }
        }
        return best.stream().map(top -> top.stream().map(n -> "v" + n.index()).collect(Collectors.toSet())).toList();
    }

    private record Neighbor(int index, float similarity) {
    }

    private static float[] unit(float[] vector) {
        double norm = 0;
        for (float x : vector) {
            norm += x * x;
        }
        float[] unit = new float[vector.length];
        for (int d = 0; d < vector.length; d++) {
            unit[d] = (float) (vector[d] / Math.sqrt(norm));
        }
        return unit;
    }

    /**
     * {@code wrk} (C, Debian package wrk) with 8 connections on 2 threads, cycling through 1,000 query
     * vectors: a load generator that takes little of the 2 cores the service needs. A warm-up, then
     * {@code runs} runs and their median.
     */
    private void search(ChildService service, int warmupSeconds, int seconds, int runs, String ef) throws Exception {
        List<String> bodies = queries().stream().map(q -> "{\"vector\":" + json(q) + ",\"k\":10}").toList();
        Path bodyFile = Files.write(tempDir.resolve("queries.jsonl"), bodies);
        Path script = Files.writeString(tempDir.resolve("search.lua"), """
                local bodies = {}
                for line in io.lines("%s") do bodies[#bodies + 1] = line end
                local i = math.random(#bodies)
                request = function()
                  i = i %% #bodies + 1
                  return wrk.format("POST", "/api/v1/collections/bench/search",
                    {["Content-Type"] = "application/json"}, bodies[i])
                end
                """.formatted(bodyFile));
        int warmup = Math.max(5, warmupSeconds); // at least: connections, the first JIT tiers
        wrk(service, script, warmup);
        double[][] figures = new double[runs][];
        for (int run = 0; run < runs; run++) {
            String report = wrk(service, script, seconds);
            assertThat(report).as("every search answered 2xx").doesNotContain("Non-2xx");
            figures[run] = new double[] {number(report, "Requests/sec:\\s+([\\d.]+)"), millis(report, "50%"),
                millis(report, "90%"), millis(report, "99%")};
            System.out.printf("  search run %d: %.0f req/s, p50 %.2f ms, p90 %.2f ms, p99 %.2f ms%n", run + 1,
                    figures[run][0], figures[run][1], figures[run][2], figures[run][3]);
        }
        System.out.printf("search by vector, wrk %d connections, k=10, %s, %d s warm-up, median of %d "
                + "runs of %d s: %.0f req/s, p50 %.2f ms, p90 %.2f ms, p99 %.2f ms%n", SEARCH_CLIENTS, ef, warmup,
                runs, seconds, median(figures, 0), median(figures, 1), median(figures, 2), median(figures, 3));
    }

    private static double median(double[][] figures, int column) {
        double[] values = Arrays.stream(figures).mapToDouble(f -> f[column]).sorted().toArray();
        return values[values.length / 2];
    }

    /** A latency percentile of a {@code wrk --latency} report, in milliseconds. */
    private static double millis(String report, String percentile) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\s" + percentile + "\\s+([\\d.]+)(us|ms|s)")
                .matcher(report);
        assertThat(m.find()).as("%s in%n%s", percentile, report).isTrue();
        double value = Double.parseDouble(m.group(1));
        return switch (m.group(2)) {
            case "us" -> value / 1000;
            case "s" -> value * 1000;
            default -> value;
        };
    }

    private static double number(String report, String regex) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(regex).matcher(report);
        assertThat(m.find()).as("%s in%n%s", regex, report).isTrue();
        return Double.parseDouble(m.group(1));
    }

    private static String wrk(ChildService service, Path script, int seconds) throws Exception {
        Process wrk = new ProcessBuilder("wrk", "-t2", "-c" + SEARCH_CLIENTS, "-d" + seconds + "s", "--latency",
                "-s", script.toString(), service.base()).redirectErrorStream(true).start();
        String output = new String(wrk.getInputStream().readAllBytes());
        assertThat(wrk.waitFor()).as("wrk exit status; output:%n%s", output).isZero();
        return output;
    }

    private static HttpRequest post(ChildService service, String path, String json) {
        return HttpRequest.newBuilder(URI.create(service.base() + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build();
    }

    /** Vectors {@code from..to-1}: each drawn from a generator seeded by its number, so a rerun sends the same. */
    private static String batchBody(int from, int to) {
        StringBuilder json = new StringBuilder(12 * DIMENSION * (to - from) + 64).append("{\"items\":[");
        for (int i = from; i < to; i++) {
            json.append(i == from ? "" : ",").append("{\"id\":\"v").append(i).append("\",\"vector\":")
                    .append(json(vector(new Random(i)))).append('}');
        }
        return json.append("]}").toString();
    }

    /** The 1,000 query vectors the searches cycle through, the same in every run. */
    private static List<float[]> queries() {
        Random random = new Random(7);
        return Stream.generate(() -> vector(random)).limit(1000).toList();
    }

    private static float[] vector(Random random) {
        float[] vector = new float[DIMENSION];
        for (int d = 0; d < DIMENSION; d++) {
            vector[d] = (float) random.nextGaussian();
        }
        return vector;
    }

    private static String json(float[] vector) {
        StringBuilder json = new StringBuilder(12 * DIMENSION).append('[');
        for (int d = 0; d < DIMENSION; d++) {
            json.append(d == 0 ? "" : ",").append(vector[d]);
        }
        return json.append(']').toString();
    }

    private static long rssMegabytes(long pid) throws IOException {
        return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream().filter(l -> l.startsWith("VmRSS:"))
                .mapToLong(l -> Long.parseLong(l.replaceAll("\\D", ""))).findFirst().orElse(0) >> 10;
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }
}
