package dev.imagesim.durability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.awt.Color;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tools.jackson.databind.JsonNode;

import dev.imagesim.ApiClient;
import dev.imagesim.ApiClient.Reply;
import dev.imagesim.ChildService;
import dev.imagesim.Multipart;
import dev.imagesim.TestDatabase;
import dev.imagesim.TestImages;
import dev.imagesim.TestImages.ShapeKind;

/**
 * Crash safety: a child JVM takes writes from concurrent clients and is killed with SIGKILL at a random
 * moment, round after round. After every restart each write that was acknowledged (2xx) is there — puts
 * present with their metadata, deletes absent — and the rebuilt index agrees with the database: the same
 * number of vectors, and for a sample of images nearest neighbours at the same distances, rank by rank, as
 * an exact search over the vectors read from the database while the service was down.
 */
class CrashTest {

    /** Kills per run: 3 by default; {@code -Dimagesim.test.crash-rounds=50} for a long run. */
    private static final int ROUNDS = Integer.getInteger("imagesim.test.crash-rounds", 3);
    private static final int CLIENTS = 3;
    private static final int SAMPLE = 12;
    private static final int K = 5;

    @TempDir
    Path dataDir;

    /** What the clients know for certain: ids whose put or delete was acknowledged and not overtaken. */
    private final Map<String, Integer> present = new ConcurrentHashMap<>();
    private final Set<String> deleted = ConcurrentHashMap.newKeySet();
    private final Random random = new Random(20261130);

    @Test
    void acknowledgedWritesSurviveSigkillAndTheIndexAgreesWithTheDatabase() throws Exception {
        List<String> args = List.of("--imagesim.index.snapshot-every-writes=25",
                "--imagesim.index.snapshot-interval-seconds=1");
        List<String> jvm = List.of("-Xmx768m", "-XX:TieredStopAtLevel=1");
        int acknowledged = 0;
        try (ChildService first = ChildService.start(dataDir, jvm, args.toArray(String[]::new))) {
            assertThat(first.client().postJson("/api/v1/collections", "{\"name\":\"c\"}").status()).isEqualTo(201);
        }
        Map<String, float[]> vectors = null;
        for (int round = 0; round <= ROUNDS; round++) {
            ChildService child = ChildService.start(dataDir, jvm, args.toArray(String[]::new));
            try {
                if (vectors != null) {
                    checkAcknowledgedWrites(child.client(), round);
                    checkIndexAgreesWithDatabase(child.client(), vectors, round);
                }
                if (round == ROUNDS) {
                    break;
                }
                acknowledged += writeUntilKilled(child, round);
            } finally {
                child.kill();
            }
            vectors = vectorsInTheDatabase();
            assertThat(vectors.keySet()).as("round %d: acknowledged puts in the database", round)
                    .containsAll(present.keySet()).doesNotContainAnyElementsOf(deleted);
        }
        System.out.printf("crash test: %d rounds of SIGKILL, %d acknowledged writes, %d images present, "
                + "%d acknowledged deletes%n", ROUNDS, acknowledged, present.size(), deleted.size());
        assertThat(present).hasSizeGreaterThan(ROUNDS * 5);
    }

    /** Clients put new images and delete some of their own; the child is killed after a random delay. */
    private int writeUntilKilled(ChildService child, int round) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        List<Future<Integer>> counts = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            int client = c;
            long seed = random.nextLong();
            counts.add(clients.submit(() -> writeLoop(child.client(), round, client, new Random(seed), stop)));
        }
        Thread.sleep(400 + random.nextInt(2600));
        child.kill();
        stop.set(true);
        clients.shutdown();
        int total = 0;
        for (Future<Integer> count : counts) {
            total += count.get();
        }
        return total;
    }

    private int writeLoop(ApiClient api, int round, int client, Random random, AtomicBoolean stop) {
        List<String> mine = new ArrayList<>();
        int acknowledged = 0;
        for (int n = 0; !stop.get(); n++) {
            try {
                if (!mine.isEmpty() && random.nextInt(6) == 0) {
                    String id = mine.remove(random.nextInt(mine.size()));
                    present.remove(id); // unknown until acknowledged
                    if (api.delete("/api/v1/collections/c/images/" + id).status() == 204) {
                        deleted.add(id);
                        acknowledged++;
                    }
                } else {
                    String id = "r" + round + "-c" + client + "-" + n;
                    Color colour = new Color(random.nextInt(0xFFFFFF));
                    byte[] image = TestImages.encode(TestImages.shape(ShapeKind.values()[random.nextInt(4)],
                            colour, 48, random.nextInt(8)), "png");
                    Reply reply = api.multipart("PUT", "/api/v1/collections/c/images/" + id,
                            new Multipart().image("image", image).field("metadata", "{\"n\":" + n + "}"));
                    if (reply.status() == 201) {
                        present.put(id, n);
                        mine.add(id);
                        acknowledged++;
                    }
                }
            } catch (IllegalStateException e) {
                return acknowledged; // the connection died with the child: the outcome is unknown
            }
        }
        return acknowledged;
    }

    private void checkAcknowledgedWrites(ApiClient api, int round) {
        present.forEach((id, n) -> {
            Reply reply = api.get("/api/v1/collections/c/images/" + id);
            assertThat(reply.status()).as("round %d: acknowledged put %s", round, id).isEqualTo(200);
            assertThat(reply.json().at("/metadata/n").asInt()).isEqualTo(n);
        });
        for (String id : deleted) {
            assertThat(api.get("/api/v1/collections/c/images/" + id).status())
                    .as("round %d: acknowledged delete %s", round, id).isEqualTo(404);
        }
    }

    private void checkIndexAgreesWithDatabase(ApiClient api, Map<String, float[]> vectors, int round) {
        assertThat(api.get("/api/v1/collections/c").json().get("size").asInt())
                .as("round %d: vectors in the index vs live rows in the database", round).isEqualTo(vectors.size());
        List<String> ids = new ArrayList<>(vectors.keySet());
        for (int i = 0; i < Math.min(SAMPLE, ids.size()); i++) {
            String query = ids.get(random.nextInt(ids.size()));
            List<String> exact = exactNeighbours(vectors, query);
            Reply reply = api.postJson("/api/v1/collections/c/search?k=" + (K + 1) + "&ef=400",
                    "{\"id\":\"" + query + "\"}");
            assertThat(reply.status()).isEqualTo(200);
            List<String> found = new ArrayList<>();
            for (JsonNode hit : reply.json().get("results")) {
                found.add(hit.get("id").asString());
            }
            found.remove(query);
            // compared by distance rank by rank: near-equal neighbours may come in either order
            float[] q = vectors.get(query);
            List<Double> foundDistances = found.subList(0, Math.min(K, found.size())).stream()
                    .peek(id -> assertThat(vectors).as("round %d: %s is a live row", round, id).containsKey(id))
                    .map(id -> 1 - cosine(q, vectors.get(id))).toList();
            List<Double> exactDistances = exact.stream().map(id -> 1 - cosine(q, vectors.get(id))).toList();
            assertThat(foundDistances).as("round %d: neighbours of %s, expected %s, found %s", round, query, exact, found)
                    .hasSameSizeAs(exactDistances);
            for (int rank = 0; rank < exactDistances.size(); rank++) {
                assertThat(foundDistances.get(rank)).as("round %d: distance of neighbour %d of %s", round, rank, query)
                        .isCloseTo(exactDistances.get(rank), within(1e-5));
            }
        }
    }

    private static List<String> exactNeighbours(Map<String, float[]> vectors, String query) {
        float[] q = vectors.get(query);
        return vectors.entrySet().stream()
                .filter(e -> !e.getKey().equals(query))
                .sorted(Comparator.comparingDouble((Map.Entry<String, float[]> e) -> -cosine(q, e.getValue()))
                        .thenComparing(Map.Entry::getKey))
                .limit(K)
                .map(Map.Entry::getKey)
                .toList();
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }

    /** The live vectors of collection c, read straight from the database while the service is down. */
    private Map<String, float[]> vectorsInTheDatabase() throws SQLException {
        Map<String, float[]> vectors = new HashMap<>();
        try (Connection connection = TestDatabase.connect(dataDir);
                Statement sql = connection.createStatement();
                ResultSet rows = sql.executeQuery(
                        "SELECT id, vector FROM images WHERE collection_name = 'c' AND deleted = FALSE")) {
            while (rows.next()) {
                byte[] bytes = rows.getBytes(2);
                float[] vector = new float[bytes.length / Float.BYTES];
                ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(vector);
                vectors.put(rows.getString(1), vector);
            }
        }
        return vectors;
    }
}
