package dev.imagesim.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.awt.image.RescaleOp;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tools.jackson.databind.JsonNode;

import dev.imagesim.ApiClient.Reply;
import dev.imagesim.Multipart;
import dev.imagesim.RunningService;
import dev.imagesim.TestImages;
import dev.imagesim.training.data.IdxDataset;

/**
 * Duplicate checks against ground truth, not a test: 2,000 distinct Fashion-MNIST t10k images stored at 112 px
 * in a collection with the default model, then as queries transformed copies of the first 300 (JPEG
 * re-encode, resized to 80 px, shifted by 3 px, brighter and more contrasted: 1,200 copies whose only true
 * duplicate is their original) and 300 other t10k images that have none. Each query runs
 * {@code duplicates:check} by {@code hash} and by {@code embedding}; for a sweep of thresholds the pairs
 * (query, stored image) within it give precision, recall and F1. Prints a table per method and the threshold
 * of best F1; then stores the copies too and scores whole-collection scans by pairs. Sizes:
 * {@code -Dimagesim.bench.stored}, {@code -Dimagesim.bench.copied}. With {@code -Dimagesim.bench.objective=}
 * (e.g. {@code self-supervised}) the collection's model is first trained by that objective on Fashion-MNIST's
 * train images ({@code -Dimagesim.bench.epochs}, default 3; {@code -Dimagesim.bench.learning-rate}, default
 * the objective's; {@code -Dimagesim.bench.request} adds request fields, e.g.
 * {@code '"augmentation":{"flip":true,"cropPadding":2,"copyEdits":true}'} for the copy model) instead of being
 * the default model.
 */
@Tag("benchmark")
class DuplicateBenchmark {

    private static final int SIZE = 112;
    private static final double[] HASH_BITS = {2, 4, 6, 8, 10, 12, 14, 16, 20};
    private static final double[] EMBEDDING = {0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.03, 0.05, 0.08, 0.12};
    private static final String[] EDITS = {"jpeg", "resize", "shift", "brightness"};

    @TempDir
    Path dataDir;

    /** A query image, the id of its original (null for none) and the index of the edit that made it (-1). */
    private record Query(byte[] image, String original, int edit) {
    }

    @Test
    void precisionRecallAndF1ByMethodAndThreshold() {
        int stored = Integer.getInteger("imagesim.bench.stored", 2000);
        int copied = Integer.getInteger("imagesim.bench.copied", 300);
        IdxDataset test = IdxDataset.read(FashionMnistJobs.directory().resolve("t10k-images-idx3-ubyte.gz"));
        List<UnaryOperator<BufferedImage>> transforms = List.of(
                image -> TestImages.resized(image, SIZE), // JPEG below
                image -> TestImages.resized(image, 80),
                image -> TestImages.shifted(image, 3),
                image -> new RescaleOp(1.2f, 15f, null).filter(image, null));
        String objective = System.getProperty("imagesim.bench.objective");
        try (RunningService service = FashionMnistJobs.service(dataDir, FashionMnistJobs.directory())) {
            String model = "";
            if (objective != null) {
                long start = System.nanoTime();
                JsonNode job = FashionMnistJobs.train(service, "{\"dataset\":{\"type\":\"idx\",\"path\":\""
                        + FashionMnistJobs.directory().getFileName() + "\"},\"trunk\":{\"architecture\":\"cnn\","
                        + "\"inputSize\":32,\"channels\":1},\"objective\":{\"type\":\"" + objective + "\"},"
                        + "\"embeddingDim\":64,\"epochs\":" + Integer.getInteger("imagesim.bench.epochs", 3)
                        + (System.getProperty("imagesim.bench.learning-rate") == null ? ""
                        : ",\"learningRate\":" + System.getProperty("imagesim.bench.learning-rate"))
                        + (System.getProperty("imagesim.bench.request", "").isBlank() ? ""
                        : "," + System.getProperty("imagesim.bench.request"))
                        + ",\"batch\":{\"p\":16,\"k\":16},\"modelId\":\"copies\"}");
                System.out.printf(Locale.ROOT, "%n%s model trained on Fashion-MNIST's train images in %.0f s: %s%n",
                        objective, (System.nanoTime() - start) / 1e9, job.get("epochs"));
                model = ",\"model\":\"copies\"";
            }
            assertThat(service.postJson("/api/v1/collections", "{\"name\":\"d\"" + model + "}").status())
                    .isEqualTo(201);
            for (int i = 0; i < stored; i++) {
                assertThat(service.multipart("PUT", "/api/v1/collections/d/images/t" + i, new Multipart()
                        .image("image", TestImages.encode(original(test, i), "png"))).status()).isEqualTo(201);
            }
            List<Query> queries = new ArrayList<>();
            for (int i = 0; i < copied; i++) {
                for (int t = 0; t < transforms.size(); t++) {
                    BufferedImage copy = transforms.get(t).apply(original(test, i));
                    queries.add(new Query(TestImages.encode(copy, t == 0 ? "jpeg" : "png"), "t" + i, t));
                }
            }
            for (int i = 0; i < copied; i++) {
                queries.add(new Query(TestImages.encode(original(test, stored + i), "png"), null, -1));
            }
            report(service, queries, "hash", "method=hash&threshold=" + (int) HASH_BITS[HASH_BITS.length - 1], HASH_BITS);
            JsonNode calibration = service.multipart("POST", "/api/v1/collections/d/duplicates:check",
                    new Multipart().image("image", queries.get(0).image())).json().get("calibration");
            System.out.println("\nembedding calibration (the default threshold): " + calibration);
            double[] embedding = java.util.stream.DoubleStream.concat(java.util.Arrays.stream(EMBEDDING),
                    java.util.stream.DoubleStream.of(calibration.get("threshold").asDouble())).sorted().toArray();
            report(service, queries, "embedding", "method=embedding&threshold=" + embedding[embedding.length - 1],
                    embedding);

            for (int q = 0; q < copied * transforms.size(); q++) {
                assertThat(service.multipart("PUT", "/api/v1/collections/d/images/" + queries.get(q).original()
                        + "-copy" + q % transforms.size(), new Multipart().image("image", queries.get(q).image()))
                        .status()).isEqualTo(201);
            }
            for (String method : List.of("hash", "embedding")) {
                scanReport(service, "{\"method\":\"" + method + "\"}", stored + copied * transforms.size(), copied,
                        transforms.size());
                componentsReport(service, method, stored, copied, transforms.size());
            }
        }
    }

    /**
     * Scans the collection, now holding the copies as well, and scores the groups as pairs: two images in one
     * group are a found pair, true when they are an original and its copy or two copies of one original.
     */
    private static void scanReport(RunningService service, String request, int images, int copied, int copies) {
        long start = System.nanoTime();
        String id = service.postJson("/api/v1/collections/d/duplicates", request).json().get("id").asString();
        JsonNode scan;
        do {
            scan = service.get("/api/v1/collections/d/duplicates?limit=1000").json();
        } while (scan.get("finishedAt").isNull() || !scan.get("id").asString().equals(id));
        double seconds = (System.nanoTime() - start) / 1e9;
        assertThat(scan.get("state").asString()).as(scan.toString()).isEqualTo("succeeded");
        long truePairs = 0;
        long pairs = 0;
        String cursor = null;
        do {
            JsonNode page = service.get("/api/v1/collections/d/duplicates?limit=1000"
                    + (cursor == null ? "" : "&cursor=" + cursor)).json();
            for (JsonNode group : page.get("groups")) {
                List<String> families = new ArrayList<>();
                group.get("members").forEach(member -> families.add(member.get("id").asString().split("-")[0]));
                for (int a = 0; a < families.size(); a++) {
                    for (int b = a + 1; b < families.size(); b++) {
                        pairs++;
                        truePairs += families.get(a).equals(families.get(b)) ? 1 : 0;
                    }
                }
            }
            cursor = page.get("next").isNull() ? null : page.get("next").asString();
        } while (cursor != null);
        long expected = (long) copied * (copies + 1) * copies / 2;
        double precision = pairs == 0 ? 1 : (double) truePairs / pairs;
        double recall = (double) truePairs / expected;
        System.out.printf(Locale.ROOT, "%nscan %s of %d images: threshold %s, %d groups, %.1f s; pair precision "
                + "%.3f, recall %.3f, F1 %.3f%n", request, images, scan.get("threshold"), scan.get("groupCount")
                .asInt(), seconds, precision, recall, precision + recall == 0 ? 0
                : 2 * precision * recall / (precision + recall));
    }

    /**
     * The alternative grouping the scans do not use, scored the same way: every stored image checked against
     * the collection (the pairs a scan sees), groups as the connected components of those pairs.
     */
    private static void componentsReport(RunningService service, String method, int stored, int copied,
            int copies) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < stored; i++) {
            ids.add("t" + i);
        }
        for (int i = 0; i < copied; i++) {
            for (int t = 0; t < copies; t++) {
                ids.add("t" + i + "-copy" + t);
            }
        }
        Map<String, String> parent = new java.util.HashMap<>();
        ids.forEach(id -> parent.put(id, id));
        for (String id : ids) {
            byte[] image = service.getBytes("/api/v1/collections/d/images/" + id + "/content").body();
            JsonNode found = service.multipart("POST", "/api/v1/collections/d/duplicates:check?method=" + method,
                    new Multipart().image("image", image)).json();
            for (JsonNode match : found.get("duplicates")) {
                parent.put(root(parent, id), root(parent, match.get("id").asString()));
            }
        }
        Map<String, List<String>> components = new java.util.HashMap<>();
        ids.forEach(id -> components.computeIfAbsent(root(parent, id), r -> new ArrayList<>()).add(id));
        long truePairs = 0;
        long pairs = 0;
        for (List<String> component : components.values()) {
            for (int a = 0; a < component.size(); a++) {
                for (int b = a + 1; b < component.size(); b++) {
                    pairs++;
                    truePairs += component.get(a).split("-")[0].equals(component.get(b).split("-")[0]) ? 1 : 0;
                }
            }
        }
        long expected = (long) copied * (copies + 1) * copies / 2;
        double precision = pairs == 0 ? 1 : (double) truePairs / pairs;
        double recall = (double) truePairs / expected;
        System.out.printf(Locale.ROOT, "connected components of %s checks: largest %d, pair precision %.3f, recall "
                + "%.3f, F1 %.3f%n", method, components.values().stream().mapToInt(List::size).max().orElse(0),
                precision, recall, precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall));
    }

    private static String root(Map<String, String> parent, String id) {
        String root = id;
        while (!parent.get(root).equals(root)) {
            root = parent.get(root);
        }
        parent.put(id, root);
        return root;
    }

    private static void report(RunningService service, List<Query> queries, String method, String parameters,
            double[] thresholds) {
        List<Map<String, Double>> answers = new ArrayList<>();
        for (Query query : queries) {
            Reply reply = service.multipart("POST", "/api/v1/collections/d/duplicates:check?" + parameters,
                    new Multipart().image("image", query.image()));
            assertThat(reply.status()).isEqualTo(200);
            Map<String, Double> found = new java.util.HashMap<>();
            for (JsonNode match : reply.json().get("duplicates")) {
                found.put(match.get("id").asString(), match.get("distance").asDouble());
            }
            answers.add(found);
        }
        long copies = queries.stream().filter(q -> q.original() != null).count();
        System.out.printf(Locale.ROOT, "%n%s: %d copies, %d queries without a duplicate%n", method, copies,
                queries.size() - copies);
        System.out.println("| threshold | precision | recall | F1 | recall of " + String.join(" | ", EDITS) + " |");
        System.out.println("| ---: | ---: | ---: | ---: |" + " ---: |".repeat(EDITS.length));
        double bestF1 = -1;
        double best = 0;
        for (double threshold : thresholds) {
            long truePairs = 0;
            long falsePairs = 0;
            long[] foundByEdit = new long[EDITS.length];
            for (int q = 0; q < queries.size(); q++) {
                for (Map.Entry<String, Double> match : answers.get(q).entrySet()) {
                    if (match.getValue() <= threshold) {
                        if (match.getKey().equals(queries.get(q).original())) {
                            truePairs++;
                            foundByEdit[queries.get(q).edit()]++;
                        } else {
                            falsePairs++;
                        }
                    }
                }
            }
            double precision = truePairs + falsePairs == 0 ? 1 : (double) truePairs / (truePairs + falsePairs);
            double recall = (double) truePairs / copies;
            double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            StringBuilder byEdit = new StringBuilder();
            for (long found : foundByEdit) {
                byEdit.append(String.format(Locale.ROOT, " %.3f |", (double) found * EDITS.length / copies));
            }
            System.out.printf(Locale.ROOT, "| %s | %.3f | %.3f | %.3f |%s%n", threshold, precision, recall, f1, byEdit);
            if (f1 > bestF1) {
                bestF1 = f1;
                best = threshold;
            }
        }
        System.out.printf(Locale.ROOT, "%s: best F1 %.3f at threshold %s%n", method, bestF1, best);
    }

    private static BufferedImage original(IdxDataset test, int index) {
        return TestImages.resized(test.image(index), SIZE);
    }
}
