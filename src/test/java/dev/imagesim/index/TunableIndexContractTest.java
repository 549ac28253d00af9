package dev.imagesim.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
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

import dev.imagesim.vector.Distance;

/** The {@link VectorIndex} contract, and what ef tuning needs of an in-process index ({@link TunableIndex}). */
abstract class TunableIndexContractTest extends VectorIndexContractTest {

    @TempDir
    Path dir;

    @Override
    protected abstract TunableIndex newIndex(Distance distance, int dimension);

    @Override
    protected TunableIndex newIndex(Distance distance) {
        return newIndex(distance, DIM);
    }

    /**
     * Every stored vector searched for without itself (the entry point among them): never found, and what
     * is found is what an exact search finds once the vector itself is dropped from its answer.
     */
    @Test
    void searchWithoutLeavesTheIdOut() {
        float[][] data = randomVectors(800, 7);
        TunableIndex index = filled(newIndex(Distance.EUCLIDEAN), data);
        int hits = 0;
        for (int i = 0; i < data.length; i++) {
            String id = "v" + i;
            List<String> found = index.searchWithout(data[i], 10, 64, id).stream().map(Neighbor::id).toList();
            List<String> truth = nearest(data, data[i], 10, Distance.EUCLIDEAN, i);
            assertThat(found).as("vector %d", i).doesNotContain(id).hasSize(10);
            hits += (int) found.stream().filter(truth::contains).count();
        }
        assertThat(hits / (10.0 * data.length)).isGreaterThanOrEqualTo(minimumRecall());
        assertThat(index.searchWithout(data[3], 5, 64, "absent")).isEqualTo(index.search(data[3], 5, 64));
    }

    /** The same items for the same contents and seed, whatever the insertion order; never a removed one. */
    @Test
    void aSampleDependsOnTheContentsNotTheOrder() {
        float[][] data = randomVectors(500, 4);
        TunableIndex forwards = filled(newIndex(Distance.EUCLIDEAN), data);
        TunableIndex backwards = newIndex(Distance.EUCLIDEAN);
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
    @Test
    void exactSearchWithoutIsTheBruteForceAnswer() {
        float[][] data = randomVectors(600, 9);
        TunableIndex index = filled(newIndex(Distance.COSINE), data);
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
    @Test
    void anExactPassReportsProgressAndCanBeStopped() {
        TunableIndex index = filled(newIndex(Distance.EUCLIDEAN), randomVectors(2500, 4));
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
    @Test
    void anIndexGrowsWhileAnExactPassRuns() {
        float[][] data = randomVectors(2500, 4);
        TunableIndex index = filled(newIndex(Distance.EUCLIDEAN), data);
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

    /** Wide vectors fill a page with few nodes: growth crosses many pages and keeps every vector. */
    @Test
    void wideVectorsSpanManyPages() {
        int dimension = 9000;
        VectorIndex index = newIndex(Distance.EUCLIDEAN, dimension);
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
    void snapshotRoundTripsIndexAndSequence() throws IOException {
        TunableIndex index = newIndex(Distance.COSINE);
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
}
