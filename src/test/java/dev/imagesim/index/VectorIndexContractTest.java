package dev.imagesim.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;

import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.imagesim.vector.Distance;

/**
 * What every {@link VectorIndex} backend must do, whatever it is built on: each implementation's test extends
 * this class and says how to make an empty index and how to save and read one back. Ids are {@code "v" + i}
 * for {@code data[i]} unless a test says otherwise.
 */
public abstract class VectorIndexContractTest {

    protected static final int DIM = 16;

    /** An empty index of {@code dimension}-d vectors with the given distance. */
    protected abstract VectorIndex newIndex(Distance distance, int dimension);

    /** The index as {@link VectorIndex#save} wrote it and the backend reads it back. */
    protected VectorIndex saved(VectorIndex index) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        index.save(bytes);
        return VectorIndex.read(new ByteArrayInputStream(bytes.toByteArray()), index.parameters(), index.distance(),
                index.dimension());
    }

    /** The least recall@10 of a search at ef 100 against the exact answer: 1 for exact backends. */
    protected abstract double minimumRecall();

    protected VectorIndex newIndex(Distance distance) {
        return newIndex(distance, DIM);
    }

    /** {@code index} with {@code data[i]} under id {@code "v" + i}, version i. */
    protected static <T extends VectorIndex> T filled(T index, float[][] data) {
        for (int i = 0; i < data.length; i++) {
            index.upsert("v" + i, data[i], i);
        }
        return index;
    }

    protected static float[][] randomVectors(int n, long seed) {
        Random random = new Random(seed);
        float[][] vectors = new float[n][DIM];
        for (float[] v : vectors) {
            for (int i = 0; i < DIM; i++) {
                v[i] = (float) random.nextGaussian();
            }
        }
        return vectors;
    }

    /** The ids of the {@code k} vectors of {@code data} nearest to {@code query}, {@code data[left]} left out. */
    protected static List<String> nearest(float[][] data, float[] query, int k, Distance distance, int left) {
        return IntStream.range(0, data.length).filter(i -> i != left).boxed()
                .sorted(Comparator.comparingDouble(i -> distance.between(query, data[i])))
                .limit(k).map(i -> "v" + i).toList();
    }

    @ParameterizedTest
    @EnumSource(Distance.class)
    void searchFindsTheNearestNeighbours(Distance distance) {
        float[][] data = randomVectors(3000, 1);
        VectorIndex index = filled(newIndex(distance), data);
        int hits = 0;
        for (float[] q : randomVectors(100, 2)) {
            List<String> truth = nearest(data, q, 10, distance, -1);
            List<Neighbor> found = index.search(q, 10, 100);
            assertThat(found).extracting(Neighbor::distance).isSorted();
            hits += (int) found.stream().map(Neighbor::id).filter(truth::contains).count();
        }
        assertThat(hits / 1000.0).isGreaterThanOrEqualTo(minimumRecall());
        assertThat(index.size()).isEqualTo(3000);
    }

    /** A search among named ids is exact, whatever the backend, and skips ids that are not live. */
    @ParameterizedTest
    @EnumSource(Distance.class)
    void searchAmongIdsIsExactAndSkipsWhatIsNotLive(Distance distance) {
        float[][] data = randomVectors(2000, 11);
        VectorIndex index = filled(newIndex(distance), data);
        index.remove("v7", 5000);
        List<String> among = IntStream.range(0, data.length).filter(i -> i % 37 == 7).mapToObj(i -> "v" + i)
                .collect(java.util.stream.Collectors.toCollection(ArrayList::new));
        among.add("unknown");
        float[] query = randomVectors(1, 12)[0];
        List<Neighbor> found = index.searchAmong(query, 5, among);
        List<String> truth = among.stream().filter(id -> id.startsWith("v") && !id.equals("v7"))
                .sorted(Comparator.comparingDouble(id -> distance.between(query, data[Integer.parseInt(id.substring(1))])))
                .limit(5).toList();
        assertThat(found).extracting(Neighbor::id).containsExactlyElementsOf(truth);
        assertThat(found.get(0).distance())
                .isCloseTo(distance.between(query, data[Integer.parseInt(truth.get(0).substring(1))]), within());
        assertThat(index.searchAmong(query, 5, List.of("v7", "unknown"))).isEmpty();
        assertThat(index.searchAmong(query, 100, among)).hasSize(among.size() - 2);
    }

    @Test
    void anEmptyIndexFindsNothingAndASmallOneFindsAll() {
        VectorIndex index = newIndex(Distance.EUCLIDEAN);
        float[][] data = randomVectors(3, 3);
        assertThat(index.search(data[0], 5, 10)).isEmpty();
        filled(index, data);
        assertThat(index.search(data[0], 5, 10)).extracting(Neighbor::id).containsExactlyInAnyOrder("v0", "v1", "v2");
        assertThat(index.dimension()).isEqualTo(DIM);
        assertThat(index.distance()).isEqualTo(Distance.EUCLIDEAN);
    }

    @Test
    void aSavedIndexReadsBackTheSame() throws IOException {
        float[][] data = randomVectors(200, 7);
        VectorIndex index = filled(newIndex(Distance.COSINE), data);
        index.remove("v3", 300);
        VectorIndex loaded = saved(index);
        assertThat(loaded.size()).isEqualTo(199);
        assertThat(loaded.parameters()).isEqualTo(index.parameters());
        assertThat(loaded.search(data[10], 5, 64)).isEqualTo(index.search(data[10], 5, 64));
        assertThat(loaded.search(data[3], 1, 64).get(0).id()).isNotEqualTo("v3");
        loaded.upsert("v3", data[3], 301);
        assertThat(loaded.search(data[3], 1, 64).get(0).id()).isEqualTo("v3");
    }

    @Test
    void distancesMatchTheMetric() {
        VectorIndex cosine = newIndex(Distance.COSINE);
        VectorIndex euclidean = newIndex(Distance.EUCLIDEAN);
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

    @Test
    void upsertReplacesAndRemoveHides() {
        VectorIndex index = newIndex(Distance.EUCLIDEAN);
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
    void olderVersionsNeverOverrideNewerOnes() {
        VectorIndex index = newIndex(Distance.EUCLIDEAN);
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

    /** Searches run while the index takes thousands of writes, and neither fail nor return a half-written item. */
    @Test
    void searchesWhileTheIndexGrowsDoNotFail() throws Exception {
        VectorIndex index = newIndex(Distance.COSINE);
        float[][] data = randomVectors(5_000, 9);
        index.upsert("v0", data[0], 0);
        AtomicBoolean writing = new AtomicBoolean(true);
        CountDownLatch searching = new CountDownLatch(4);
        ExecutorService searchers = Executors.newFixedThreadPool(4);
        List<Future<Integer>> searches = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int offset = t;
            searches.add(searchers.submit(() -> {
                int done = 0;
                do {
                    assertThat(index.search(data[(done++ * 4 + offset) % data.length], 5, 16))
                            .allSatisfy(n -> assertThat(n.id()).isNotNull());
                    searching.countDown();
                } while (writing.get());
                return done;
            }));
        }
        try {
            assertThat(searching.await(30, TimeUnit.SECONDS)).as("every searcher started").isTrue();
            for (int i = 1; i < data.length; i++) {
                index.upsert("v" + i, data[i], i);
            }
        } finally {
            writing.set(false);
            searchers.shutdown();
        }
        for (Future<Integer> search : searches) {
            assertThat(search.get()).isPositive();
        }
        assertThat(index.size()).isEqualTo(data.length);
    }

    protected static Offset<Float> within() {
        return Offset.offset(1e-4f);
    }
}
