package dev.imagesim.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class VectorIndexTest {

    private static final int DIM = 16;

    @TempDir
    Path dir;

    static VectorIndex index(IndexType type, Distance distance) {
        return VectorIndex.create(new IndexParameters(type, 16, 100, 32), distance, DIM);
    }

    /** {@code index} with {@code data[i]} under id {@code "v" + i}, version i. */
    static VectorIndex filled(VectorIndex index, float[][] data) {
        for (int i = 0; i < data.length; i++) {
            index.upsert("v" + i, data[i], i);
        }
        return index;
    }

    static float[][] randomVectors(int n, long seed) {
        Random random = new Random(seed);
        float[][] vectors = new float[n][DIM];
        for (float[] v : vectors) {
            for (int i = 0; i < DIM; i++) {
                v[i] = (float) random.nextGaussian();
            }
        }
        return vectors;
    }

    @ParameterizedTest
    @EnumSource(Distance.class)
    void hnswFindsWhatExactSearchFindsAtHighRecall(Distance distance) {
        VectorIndex hnsw = index(IndexType.HNSW, distance);
        VectorIndex exact = index(IndexType.EXACT, distance);
        float[][] data = randomVectors(3000, 1);
        for (int i = 0; i < data.length; i++) {
            hnsw.upsert("v" + i, data[i], i + 1);
            exact.upsert("v" + i, data[i], i + 1);
        }
        float[][] queries = randomVectors(100, 2);
        int hits = 0;
        for (float[] q : queries) {
            List<String> truth = exact.search(q, 10, 0).stream().map(Neighbor::id).toList();
            hits += (int) hnsw.search(q, 10, 100).stream().map(Neighbor::id).filter(truth::contains).count();
        }
        assertThat(hits / 1000.0).isGreaterThan(0.95);
        assertThat(hnsw.size()).isEqualTo(3000);
    }

    /**
     * Every stored vector searched for without itself (the entry point among them): never found, and what
     * is found is what an exact search finds once the vector itself is dropped from its answer.
     */
    @ParameterizedTest
    @EnumSource(IndexType.class)
    void searchWithoutLeavesTheIdOut(IndexType type) {
        float[][] data = randomVectors(800, 7);
        VectorIndex index = filled(index(type, Distance.EUCLIDEAN), data);
        VectorIndex exact = filled(index(IndexType.EXACT, Distance.EUCLIDEAN), data);
        int hits = 0;
        for (int i = 0; i < data.length; i++) {
            String id = "v" + i;
            List<String> found = index.searchWithout(data[i], 10, 64, id).stream().map(Neighbor::id).toList();
            List<String> truth = exact.search(data[i], 11, 0).stream().map(Neighbor::id)
                    .filter(other -> !other.equals(id)).limit(10).toList();
            assertThat(found).as("vector %d", i).doesNotContain(id).hasSize(10);
            hits += (int) found.stream().filter(truth::contains).count();
        }
        assertThat(hits / (10.0 * data.length)).isGreaterThan(type == IndexType.EXACT ? 0.9999 : 0.97);
        assertThat(index.searchWithout(data[3], 5, 64, "absent")).isEqualTo(index.search(data[3], 5, 64));
    }

    /** The same items for the same contents and seed, whatever the insertion order; never a removed one. */
    @Test
    void aSampleDependsOnTheContentsNotTheOrder() {
        float[][] data = randomVectors(500, 4);
        VectorIndex forwards = filled(index(IndexType.HNSW, Distance.EUCLIDEAN), data);
        VectorIndex backwards = index(IndexType.EXACT, Distance.EUCLIDEAN);
        for (int i = data.length - 1; i >= 0; i--) {
            backwards.upsert("v" + i, data[i], i);
        }
        List<StoredVector> sample = forwards.sample(50, 17);
        assertThat(sample).hasSize(50).extracting(StoredVector::id)
                .containsExactlyElementsOf(backwards.sample(50, 17).stream().map(StoredVector::id).toList())
                .isNotEqualTo(forwards.sample(50, 18).stream().map(StoredVector::id).toList());
        StoredVector first = sample.get(0);
        assertThat(first.vector()).containsExactly(data[Integer.parseInt(first.id().substring(1))]);
        forwards.remove(first.id(), 1000);
        assertThat(forwards.sample(50, 17)).extracting(StoredVector::id).doesNotContain(first.id()).hasSize(50);
        assertThat(forwards.sample(600, 17)).hasSize(499);
    }

    /** All queries in one pass: what a brute force over the data finds, each query's own id left out. */
    @ParameterizedTest
    @EnumSource(IndexType.class)
    void exactSearchWithoutIsTheBruteForceAnswer(IndexType type) {
        float[][] data = randomVectors(600, 9);
        VectorIndex index = filled(index(type, Distance.COSINE), data);
        index.remove("v5", 1000);
        float[][] queries = new float[40][];
        String[] ids = new String[queries.length];
        for (int q = 0; q < queries.length; q++) {
            boolean stored = q % 2 == 0;
            queries[q] = stored ? data[q * 7] : randomVectors(1, 100 + q)[0];
            ids[q] = stored ? "v" + q * 7 : null;
        }
        List<List<Neighbor>> found = index.exactSearchWithout(queries, ids, 10, ScanListener.NONE);
        for (int q = 0; q < queries.length; q++) {
            float[] query = queries[q];
            String own = ids[q];
            List<String> truth = IntStream.range(0, data.length)
                    .filter(i -> i != 5 && !("v" + i).equals(own)).boxed()
                    .sorted(Comparator.comparingDouble(i -> Distance.COSINE.between(query, data[i])))
                    .limit(10).map(i -> "v" + i).toList();
            assertThat(found.get(q)).as("query %d", q).extracting(Neighbor::id).containsExactlyElementsOf(truth);
            assertThat(found.get(q).get(0).distance())
                    .isCloseTo(Distance.COSINE.between(query, data[Integer.parseInt(truth.get(0).substring(1))]),
                            within());
        }
    }

    /** The pass tells how far it has come, every 1,024 nodes and at its end, and stops when told to. */
    @ParameterizedTest
    @EnumSource(IndexType.class)
    void anExactPassReportsProgressAndCanBeStopped(IndexType type) {
        VectorIndex index = filled(index(type, Distance.EUCLIDEAN), randomVectors(2500, 4));
        float[][] queries = {randomVectors(1, 5)[0]};
        List<Integer> seen = new ArrayList<>();
        assertThat(index.exactSearchWithout(queries, new String[1], 3, (scanned, nodes) -> {
            assertThat(nodes).isEqualTo(2500);
            seen.add(scanned);
            return true;
        }).get(0)).hasSize(3);
        assertThat(seen).containsExactly(0, 1024, 2048, 2500);
        assertThatThrownBy(() -> index.exactSearchWithout(queries, new String[1], 3,
                (scanned, nodes) -> scanned < 1024)).isInstanceOf(CancellationException.class);
    }

    /**
     * A long exact pass must not hold up an insert that grows the index: 2,000 inserts into an index of
     * 2,500 nodes (room for 4,096) made from the pass's own progress call, on another thread, finish while
     * the pass waits for them, and the pass then ends with the nodes it started with.
     */
    @ParameterizedTest
    @EnumSource(IndexType.class)
    void anIndexGrowsWhileAnExactPassRuns(IndexType type) {
        float[][] data = randomVectors(2500, 4);
        VectorIndex index = filled(index(type, Distance.EUCLIDEAN), data);
        float[][] more = randomVectors(2000, 6);
        ExecutorService writer = Executors.newSingleThreadExecutor();
        try {
            List<Neighbor> nearest = index.exactSearchWithout(new float[][] {data[7]}, new String[1], 1,
                    (scanned, nodes) -> {
                        if (scanned == 1024) {
                            Future<?> inserts = writer.submit(() -> {
                                for (int i = 0; i < more.length; i++) {
                                    index.upsert("w" + i, more[i], 2000 + i);
                                }
                            });
                            assertThatCode(() -> inserts.get(60, TimeUnit.SECONDS))
                                    .as("inserts that grow the index during the pass").doesNotThrowAnyException();
                        }
                        return true;
                    }).get(0);
            assertThat(nearest).extracting(Neighbor::id).containsExactly("v7");
            assertThat(index.size()).isEqualTo(4500);
        } finally {
            writer.shutdownNow();
        }
    }

    @ParameterizedTest
    @EnumSource(IndexType.class)
    void distancesMatchTheMetric(IndexType type) {
        VectorIndex cosine = index(type, Distance.COSINE);
        VectorIndex euclidean = index(type, Distance.EUCLIDEAN);
        float[][] data = randomVectors(50, 3);
        for (int i = 0; i < data.length; i++) {
            cosine.upsert("v" + i, data[i], 1);
            euclidean.upsert("v" + i, data[i], 1);
        }
        float[] q = randomVectors(1, 4)[0];
        Neighbor nearestCosine = cosine.search(q, 1, 64).get(0);
        Neighbor nearestEuclidean = euclidean.search(q, 1, 64).get(0);
        int ic = Integer.parseInt(nearestCosine.id().substring(1));
        int ie = Integer.parseInt(nearestEuclidean.id().substring(1));
        assertThat(nearestCosine.distance()).isCloseTo(Distance.COSINE.between(q, data[ic]), within());
        assertThat(nearestEuclidean.distance()).isCloseTo(Distance.EUCLIDEAN.between(q, data[ie]), within());
    }

    private static org.assertj.core.data.Offset<Float> within() {
        return org.assertj.core.data.Offset.offset(1e-4f);
    }

    @ParameterizedTest
    @EnumSource(IndexType.class)
    void upsertReplacesAndRemoveHides(IndexType type) {
        VectorIndex index = index(type, Distance.EUCLIDEAN);
        float[][] data = randomVectors(3, 5);
        index.upsert("a", data[0], 1);
        index.upsert("b", data[1], 2);
        index.upsert("a", data[2], 3);
        assertThat(index.size()).isEqualTo(2);
        assertThat(index.search(data[2], 1, 10).get(0)).isEqualTo(new Neighbor("a", 0f, 3));
        index.remove("a", 4);
        assertThat(index.size()).isEqualTo(1);
        assertThat(index.search(data[2], 5, 10)).extracting(Neighbor::id).containsExactly("b");
        index.upsert("a", data[0], 5);
        assertThat(index.search(data[0], 1, 10).get(0).id()).isEqualTo("a");
        index.upsert("b", data[1], 6); // the same vector again: the node stays and takes the new version
        assertThat(index.search(data[1], 1, 10).get(0)).isEqualTo(new Neighbor("b", 0f, 6));
    }

    @Test
    void growsPastItsInitialCapacity() {
        VectorIndex index = index(IndexType.HNSW, Distance.COSINE);
        float[][] data = randomVectors(2500, 6);
        for (int i = 0; i < data.length; i++) {
            index.upsert("v" + i, data[i], i);
        }
        assertThat(index.size()).isEqualTo(2500);
    }

    /**
     * Growing replaces the index's arrays and pages under its lock; searches run while writes cross nine
     * capacity doublings and must neither fail nor return a node that is not fully written.
     */
    @Test
    void searchesWhileTheIndexGrowsDoNotFail() throws Exception {
        VectorIndex index = index(IndexType.HNSW, Distance.COSINE);
        float[][] data = randomVectors(20_000, 9);
        index.upsert("v0", data[0], 0);
        java.util.concurrent.atomic.AtomicBoolean writing = new java.util.concurrent.atomic.AtomicBoolean(true);
        java.util.concurrent.ExecutorService searchers = java.util.concurrent.Executors.newFixedThreadPool(4);
        List<java.util.concurrent.Future<Integer>> searches = new java.util.ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int offset = t;
            searches.add(searchers.submit(() -> {
                int done = 0;
                while (writing.get()) {
                    assertThat(index.search(data[(done++ * 4 + offset) % data.length], 5, 16))
                            .allSatisfy(n -> assertThat(n.id()).isNotNull());
                }
                return done;
            }));
        }
        try {
            for (int i = 1; i < data.length; i++) {
                index.upsert("v" + i, data[i], i);
            }
        } finally {
            writing.set(false);
            searchers.shutdown();
        }
        for (java.util.concurrent.Future<Integer> search : searches) {
            assertThat(search.get()).isPositive();
        }
        assertThat(index.size()).isEqualTo(data.length);
    }

    @ParameterizedTest
    @EnumSource(IndexType.class)
    void snapshotRoundTripsIndexAndSequence(IndexType type) throws IOException {
        VectorIndex index = index(type, Distance.COSINE);
        float[][] data = randomVectors(200, 7);
        for (int i = 0; i < data.length; i++) {
            index.upsert("v" + i, data[i], i);
        }
        index.remove("v3", 300);
        Path file = dir.resolve("c.snapshot");
        IndexSnapshot.write(file, index, 301);

        IndexSnapshot loaded = IndexSnapshot.read(file);
        assertThat(loaded.sequence()).isEqualTo(301);
        assertThat(loaded.index().size()).isEqualTo(199);
        assertThat(loaded.index().parameters()).isEqualTo(index.parameters());
        assertThat(loaded.index().search(data[10], 5, 64)).isEqualTo(index.search(data[10], 5, 64));
        assertThat(loaded.index().search(data[3], 1, 64).get(0).id()).isNotEqualTo("v3");
    }

    /**
     * The snapshot format does not follow the in-memory layout: {@code hnsw-cosine-format2.snapshot} was
     * written by this very recipe at commit dc20638, before the base-layer links moved next to the vectors,
     * and the index must still write those bytes and read them back into the same graph.
     */
    @Test
    void snapshotsOfTheEarlierLayoutStillLoad() throws IOException {
        float[][] data = randomVectors(150, 11);
        VectorIndex index = filled(index(IndexType.HNSW, Distance.COSINE), data);
        index.remove("v5", 200);
        Path file = dir.resolve("now.snapshot");
        IndexSnapshot.write(file, index, 201);
        byte[] earlier;
        try (InputStream in = VectorIndexTest.class.getResourceAsStream("/index/hnsw-cosine-format2.snapshot")) {
            earlier = in.readAllBytes();
        }
        assertThat(Files.readAllBytes(file)).isEqualTo(earlier);

        Files.write(file, earlier);
        VectorIndex loaded = IndexSnapshot.read(file).index();
        for (float[] query : randomVectors(20, 12)) {
            assertThat(loaded.search(query, 10, 40)).isEqualTo(index.search(query, 10, 40));
        }
        assertThat(loaded.size()).isEqualTo(149);
    }

    @Test
    void truncatedSnapshotIsReportedAsDamaged() throws IOException {
        VectorIndex index = filled(index(IndexType.HNSW, Distance.COSINE), randomVectors(100, 8));
        Path file = dir.resolve("t.snapshot");
        IndexSnapshot.write(file, index, 100);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(raf.length() / 2);
        }
        assertThatThrownBy(() -> IndexSnapshot.read(file)).isInstanceOf(IOException.class);
    }

    @ParameterizedTest
    @EnumSource(IndexType.class)
    void olderVersionsNeverOverrideNewerOnes(IndexType type) {
        VectorIndex index = index(type, Distance.EUCLIDEAN);
        float[][] data = randomVectors(3, 10);
        index.upsert("a", data[0], 5);
        index.upsert("a", data[1], 3);
        assertThat(index.search(data[0], 1, 10).get(0)).isEqualTo(new Neighbor("a", 0f, 5));
        index.remove("a", 4);
        assertThat(index.size()).isEqualTo(1);
        index.remove("a", 10);
        index.upsert("a", data[2], 7);
        assertThat(index.size()).isZero();
        index.upsert("a", data[2], 11);
        assertThat(index.search(data[2], 1, 10).get(0)).isEqualTo(new Neighbor("a", 0f, 11));
    }

    @Test
    void theSameVectorAgainOnlyMovesTheVersion() {
        StoredVectorIndex index = (StoredVectorIndex) index(IndexType.HNSW, Distance.COSINE);
        float[][] data = randomVectors(2, 11);
        index.upsert("a", data[0], 1);
        index.upsert("a", data[0].clone(), 2);
        assertThat(index.nodes()).isEqualTo(1);
        index.upsert("a", data[1], 3);
        assertThat(index.nodes()).isEqualTo(2);
        assertThat(index.size()).isEqualTo(1);
    }

    /** Inserts from four threads build a graph as good as one thread's, and lose nothing. */
    @Test
    void parallelInsertsBuildAGoodGraph() throws Exception {
        float[][] data = randomVectors(4000, 12);
        VectorIndex hnsw = filledInParallel(index(IndexType.HNSW, Distance.EUCLIDEAN), data);
        VectorIndex exact = filledInParallel(index(IndexType.EXACT, Distance.EUCLIDEAN), data);
        assertThat(hnsw.size()).isEqualTo(data.length);
        assertThat(exact.size()).isEqualTo(data.length);
        int hits = 0;
        for (float[] q : randomVectors(100, 13)) {
            List<String> truth = exact.search(q, 10, 0).stream().map(Neighbor::id).toList();
            hits += (int) hnsw.search(q, 10, 100).stream().map(Neighbor::id).filter(truth::contains).count();
        }
        assertThat(hits / 1000.0).isGreaterThan(0.95);
    }

    /**
     * Concurrent inserts strand no node: one that searched down from a node still being inserted (whose
     * lower lists were empty) used to link to it alone and lose that link when the node wrote its own list.
     */
    @Test
    void parallelInsertsLeaveEveryNodeReachable() throws Exception {
        for (int trial = 0; trial < 30; trial++) {
            float[][] data = randomVectors(300, 100 + trial);
            VectorIndex hnsw = filledInParallel(
                    VectorIndex.create(new IndexParameters(IndexType.HNSW, 16, 200, 64), Distance.COSINE, DIM), data);
            for (int i = 0; i < data.length; i++) {
                assertThat(hnsw.search(data[i], 1, 64).get(0).id()).as("trial %d: vector %d finds itself", trial, i)
                        .isEqualTo("v" + i);
            }
        }
    }

    /** {@code index} with {@code data[i]} under id {@code "v" + i}, version i, inserted by 4 threads at once. */
    private static VectorIndex filledInParallel(VectorIndex index, float[][] data) throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        List<java.util.concurrent.Future<?>> writers = new java.util.ArrayList<>();
        for (int t = 0; t < 4; t++) {
            writers.add(pool.submit(() -> {
                for (int i = next.getAndIncrement(); i < data.length; i = next.getAndIncrement()) {
                    index.upsert("v" + i, data[i], i);
                }
            }));
        }
        for (java.util.concurrent.Future<?> writer : writers) {
            writer.get();
        }
        pool.shutdown();
        return index;
    }

    /** Wide vectors fill a page with few nodes: growth crosses many pages and keeps every vector. */
    @ParameterizedTest
    @EnumSource(IndexType.class)
    void wideVectorsSpanManyPages(IndexType type) {
        int dimension = 9000;
        VectorIndex index = VectorIndex.create(new IndexParameters(type, 8, 40, 32), Distance.EUCLIDEAN, dimension);
        Random random = new Random(14);
        float[][] data = new float[600][dimension];
        for (int i = 0; i < data.length; i++) {
            for (int j = 0; j < dimension; j += 97) {
                data[i][j] = random.nextFloat();
            }
            index.upsert("v" + i, data[i], i);
        }
        for (int i = 0; i < data.length; i += 37) {
            assertThat(index.search(data[i], 1, 64).get(0)).isEqualTo(new Neighbor("v" + i, 0f, i));
        }
    }

    @Test
    void snapshotWithALinkOutsideTheGraphIsReportedAsDamaged() throws IOException {
        VectorIndex index = filled(index(IndexType.HNSW, Distance.EUCLIDEAN), randomVectors(10, 15));
        Path file = dir.resolve("l.snapshot");
        IndexSnapshot.write(file, index, 10);
        byte[] bytes = java.nio.file.Files.readAllBytes(file);
        // the base-layer lists come after the entry point; the first list's first link is overwritten
        int firstList = bytes.length - 10 * Integer.BYTES - 10 * (2 * 16 + 1) * Integer.BYTES;
        java.nio.ByteBuffer.wrap(bytes).putInt(firstList, 1).putInt(firstList + Integer.BYTES, 999);
        java.nio.file.Files.write(file, bytes);
        assertThatThrownBy(() -> IndexSnapshot.read(file)).isInstanceOf(IOException.class)
                .hasMessageContaining("link to node 999");
    }
}
