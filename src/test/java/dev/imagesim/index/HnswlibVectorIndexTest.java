package dev.imagesim.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class HnswlibVectorIndexTest {

    private static final int DIM = 16;

    @TempDir
    Path dir;

    static HnswlibVectorIndex index(IndexType type, Distance distance) {
        return HnswlibVectorIndex.create(new IndexParameters(type, 16, 100, 32), distance, DIM);
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
        HnswlibVectorIndex hnsw = index(IndexType.HNSW, distance);
        HnswlibVectorIndex exact = index(IndexType.EXACT, distance);
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

    @ParameterizedTest
    @EnumSource(IndexType.class)
    void distancesMatchTheMetric(IndexType type) {
        HnswlibVectorIndex cosine = index(type, Distance.COSINE);
        HnswlibVectorIndex euclidean = index(type, Distance.EUCLIDEAN);
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
        HnswlibVectorIndex index = index(type, Distance.EUCLIDEAN);
        float[][] data = randomVectors(3, 5);
        index.upsert("a", data[0], 1);
        index.upsert("b", data[1], 2);
        index.upsert("a", data[2], 3);
        assertThat(index.size()).isEqualTo(2);
        assertThat(index.search(data[2], 1, 10).get(0)).isEqualTo(new Neighbor("a", 0f));
        index.remove("a", 4);
        assertThat(index.size()).isEqualTo(1);
        assertThat(index.search(data[2], 5, 10)).extracting(Neighbor::id).containsExactly("b");
        index.upsert("a", data[0], 5);
        assertThat(index.search(data[0], 1, 10).get(0).id()).isEqualTo("a");
    }

    @Test
    void growsPastItsInitialCapacity() {
        HnswlibVectorIndex index = index(IndexType.HNSW, Distance.COSINE);
        float[][] data = randomVectors(2500, 6);
        for (int i = 0; i < data.length; i++) {
            index.upsert("v" + i, data[i], i);
        }
        assertThat(index.size()).isEqualTo(2500);
    }

    /**
     * hnswlib-core replaces its pool of visited-lists when it grows; a search in flight then returns its
     * list to the new, full pool and fails with "Queue full". Searches run while writes cross five
     * capacity doublings.
     */
    @Test
    void searchesWhileTheIndexGrowsDoNotFail() throws Exception {
        HnswlibVectorIndex index = index(IndexType.HNSW, Distance.COSINE);
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
                    index.search(data[(done++ * 4 + offset) % data.length], 5, 16);
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
        HnswlibVectorIndex index = index(type, Distance.COSINE);
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

    @Test
    void truncatedSnapshotIsReportedAsDamaged() throws IOException {
        HnswlibVectorIndex index = index(IndexType.HNSW, Distance.COSINE);
        float[][] data = randomVectors(100, 8);
        for (int i = 0; i < data.length; i++) {
            index.upsert("v" + i, data[i], i);
        }
        Path file = dir.resolve("t.snapshot");
        IndexSnapshot.write(file, index, 100);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(raf.length() / 2);
        }
        assertThatThrownBy(() -> IndexSnapshot.read(file)).isInstanceOf(IOException.class);
    }
}
