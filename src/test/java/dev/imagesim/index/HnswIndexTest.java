package dev.imagesim.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import dev.imagesim.vector.Distance;

class HnswIndexTest extends TunableIndexContractTest {

    @Override
    protected HnswIndex newIndex(Distance distance, int dimension) {
        return new HnswIndex(new IndexParameters(IndexType.HNSW, 16, 100, 32), distance, dimension);
    }

    @Override
    protected HnswIndex newIndex(Distance distance) {
        return newIndex(distance, DIM);
    }

    @Override
    protected double minimumRecall() {
        return 0.95;
    }

    @Test
    void growsPastItsInitialCapacity() {
        VectorIndex index = newIndex(Distance.COSINE);
        float[][] data = randomVectors(2500, 6);
        for (int i = 0; i < data.length; i++) {
            index.upsert("v" + i, data[i], i);
        }
        assertThat(index.size()).isEqualTo(2500);
    }

    @Test
    void theSameVectorAgainOnlyMovesTheVersion() {
        StoredVectorIndex index = newIndex(Distance.COSINE);
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
        VectorIndex hnsw = filledInParallel(newIndex(Distance.EUCLIDEAN), data);
        assertThat(hnsw.size()).isEqualTo(data.length);
        int hits = 0;
        for (float[] q : randomVectors(100, 13)) {
            List<String> truth = nearest(data, q, 10, Distance.EUCLIDEAN, -1);
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
                    VectorIndex.create(new IndexParameters(IndexType.HNSW, 16, 200, 64), Distance.COSINE, DIM),
                    data);
            for (int i = 0; i < data.length; i++) {
                assertThat(hnsw.search(data[i], 1, 64).get(0).id()).as("trial %d: vector %d finds itself", trial, i)
                        .isEqualTo("v" + i);
            }
        }
    }

    /**
     * The snapshot format does not follow the in-memory layout: {@code hnsw-cosine-format2.snapshot} was
     * written by this very recipe at commit dc20638, before the base-layer links moved next to the vectors,
     * and the index must still write those bytes and read them back into the same graph.
     */
    @Test
    void snapshotsOfTheEarlierLayoutStillLoad() throws IOException {
        float[][] data = randomVectors(150, 11);
        VectorIndex index = filled(newIndex(Distance.COSINE), data);
        index.remove("v5", 200);
        Path file = dir.resolve("now.snapshot");
        IndexSnapshot.write(file, index, 201);
        byte[] earlier;
        try (InputStream in = HnswIndexTest.class.getResourceAsStream("/index/hnsw-cosine-format2.snapshot")) {
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
        VectorIndex index = filled(newIndex(Distance.COSINE), randomVectors(100, 8));
        Path file = dir.resolve("t.snapshot");
        IndexSnapshot.write(file, index, 100);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(raf.length() / 2);
        }
        assertThatThrownBy(() -> IndexSnapshot.read(file)).isInstanceOf(IOException.class);
    }

    @Test
    void snapshotWithALinkOutsideTheGraphIsReportedAsDamaged() throws IOException {
        VectorIndex index = filled(newIndex(Distance.EUCLIDEAN), randomVectors(10, 15));
        Path file = dir.resolve("l.snapshot");
        IndexSnapshot.write(file, index, 10);
        byte[] bytes = Files.readAllBytes(file);
        // the base-layer lists come after the entry point; the first list's first link is overwritten
        int firstList = bytes.length - 10 * Integer.BYTES - 10 * (2 * 16 + 1) * Integer.BYTES;
        ByteBuffer.wrap(bytes).putInt(firstList, 1).putInt(firstList + Integer.BYTES, 999);
        Files.write(file, bytes);
        assertThatThrownBy(() -> IndexSnapshot.read(file)).isInstanceOf(IOException.class)
                .hasMessageContaining("link to node 999");
    }

    /** {@code index} with {@code data[i]} under id {@code "v" + i}, version i, inserted by 4 threads at once. */
    private static VectorIndex filledInParallel(VectorIndex index, float[][] data) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        AtomicInteger next = new AtomicInteger();
        List<Future<?>> writers = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            writers.add(pool.submit(() -> {
                for (int i = next.getAndIncrement(); i < data.length; i = next.getAndIncrement()) {
                    index.upsert("v" + i, data[i], i);
                }
            }));
        }
        for (Future<?> writer : writers) {
            writer.get();
        }
        pool.shutdown();
        return index;
    }
}
