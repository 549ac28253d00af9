package dev.imagesim.bench;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.imagesim.vector.Distance;
import dev.imagesim.index.IndexParameters;
import dev.imagesim.index.IndexSnapshot;
import dev.imagesim.index.IndexType;
import dev.imagesim.index.Neighbor;
import dev.imagesim.index.VectorIndex;

/**
 * The Java side of {@code bench/index-bench.sh}: the service's HNSW index ({@link VectorIndex} of type
 * HNSW, or with {@code imagesim.bench.index-type=hnswlib} the hnswlib-core library behind the same contract)
 * on the files the native peer reads — fashion-mnist-784-euclidean (IDX image files) or random unit
 * vectors with cosine ({@code .f32}) — scored against the exact top-10 the peer wrote, with its M,
 * efConstruction, thread counts (of the builds, {@code imagesim.bench.build-threads}, and of the searches) and
 * ef sweep. Prints the same tab-separated rows as {@code hnswlib_bench}. One untimed pass of the queries warms
 * the JIT before the sweep; each figure is the median of {@code imagesim.bench.runs} runs (3), as on the
 * native side. With {@code imagesim.bench.graph} (a file) the index is read from that snapshot when it
 * exists, and built, then written there, when it does not.
 */
@Tag("benchmark")
class IndexBenchmark {

    private static final int K = 10;

    @Test
    void buildAndSearch() throws Exception {
        String base = System.getProperty("imagesim.bench.base", "");
        assumeTrue(!base.isEmpty() && Files.exists(Path.of(base)), "no base vectors: run bench/index-bench.sh");
        Distance distance = "cosine".equals(System.getProperty("imagesim.bench.metric")) ? Distance.COSINE
                : Distance.EUCLIDEAN;
        float[][] vectors = read(Path.of(base));
        float[][] queries = read(Path.of(System.getProperty("imagesim.bench.queries")));
        int[] truth = readGroundTruth(Path.of(System.getProperty("imagesim.bench.ground-truth")), queries.length);
        int m = Integer.getInteger("imagesim.bench.m", 16);
        int efConstruction = Integer.getInteger("imagesim.bench.ef-construction", 200);
        String threadList = System.getProperty("imagesim.bench.threads", "1,2");
        int[] threadCounts = list(threadList);
        int[] efs = list(System.getProperty("imagesim.bench.efs", "10,20,40,80,160,320"));
        int runs = Integer.getInteger("imagesim.bench.runs", 3);
        IndexType type = IndexType.valueOf(System.getProperty("imagesim.bench.index-type", "hnsw")
                .toUpperCase(java.util.Locale.ROOT));

        String graphFile = System.getProperty("imagesim.bench.graph", "");
        Path graph = graphFile.isEmpty() ? null : Path.of(graphFile);
        boolean saved = graph != null && Files.exists(graph);
        int[] buildThreadCounts = saved ? new int[0]
                : list(System.getProperty("imagesim.bench.build-threads", threadList));
        VectorIndex index = saved ? IndexSnapshot.read(graph).index() : null;
        for (int threads : buildThreadCounts) {
            index = null;
            System.gc();
            long heapBefore = usedHeap();
            VectorIndex built = VectorIndex.create(
                    new IndexParameters(type, m, efConstruction, 1), distance, vectors[0].length);
            long start = System.nanoTime();
            // a copy per vector, as a request gives the index
            run(threads, vectors.length, i -> built.upsert(Integer.toString(i), vectors[i].clone(), 1));
            double seconds = (System.nanoTime() - start) / 1e9;
            System.gc();
            System.out.printf("build\tjava\t%d\t%.2f\t%d%n", threads, seconds, usedHeap() - heapBefore);
            index = built;
        }
        if (graph != null && !saved) {
            IndexSnapshot.write(graph, index, 0);
        }
        VectorIndex searched = index;
        run(threadCounts[threadCounts.length - 1], queries.length, q -> searched.search(queries[q], K, efs[0]));
        for (int threads : threadCounts) {
            for (int ef : efs) {
                List<List<Neighbor>> answers = new ArrayList<>(java.util.Collections.nCopies(queries.length, null));
                double[] rates = new double[runs];
                for (int r = 0; r < runs; r++) {
                    long start = System.nanoTime();
                    run(threads, queries.length, q -> answers.set(q, searched.search(queries[q], K, ef)));
                    rates[r] = queries.length / ((System.nanoTime() - start) / 1e9);
                }
                Arrays.sort(rates);
                int[] hits = new int[queries.length];
                for (int q = 0; q < queries.length; q++) {
                    Set<String> expected = new HashSet<>();
                    for (int j = 0; j < K; j++) {
                        expected.add(Integer.toString(truth[q * K + j]));
                    }
                    hits[q] = (int) answers.get(q).stream().map(Neighbor::id).filter(expected::contains).count();
                }
                double recall = Arrays.stream(hits).sum() / (double) (queries.length * K);
                System.out.printf("search\tjava\t%d\t%d\t%.4f\t%.1f%n", threads, ef, recall, rates[runs / 2]);
            }
        }
    }

    /** Runs {@code body} for 0..n-1 on {@code threads} threads, each taking the next index. */
    private static void run(int threads, int n, java.util.function.IntConsumer body) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            AtomicInteger next = new AtomicInteger();
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
                        body.accept(i);
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    private static long usedHeap() {
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }

    /** An IDX image file or an {@code .f32} file of {@code hnswlib_bench generate}. */
    private static float[][] read(Path file) throws IOException {
        if (file.toString().endsWith(".f32")) {
            return readF32(file);
        }
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            if (in.readInt() != 0x803) {
                throw new IOException("not an IDX image file: " + file);
            }
            int count = in.readInt();
            int dimension = in.readInt() * in.readInt();
            float[][] vectors = new float[count][dimension];
            byte[] row = new byte[dimension];
            for (float[] vector : vectors) {
                in.readFully(row);
                for (int j = 0; j < dimension; j++) {
                    vector[j] = row[j] & 0xFF;
                }
            }
            return vectors;
        }
    }

    private static float[][] readF32(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file)) {
            ByteBuffer header = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            channel.read(header, 0);
            int rows = header.getInt(0);
            int dimension = header.getInt(4);
            float[][] vectors = new float[rows][dimension];
            ByteBuffer row = ByteBuffer.allocate(dimension * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            long position = 8;
            for (float[] vector : vectors) {
                row.clear();
                while (row.hasRemaining()) {
                    if (channel.read(row, position + row.position()) < 0) {
                        throw new IOException("truncated: " + file);
                    }
                }
                row.flip().asFloatBuffer().get(vector);
                position += row.capacity();
            }
            return vectors;
        }
    }

    private static int[] readGroundTruth(Path file, int queries) throws IOException {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readAllBytes();
        }
        int[] truth = new int[queries * K];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(truth);
        return truth;
    }

    private static int[] list(String text) {
        return Arrays.stream(text.split(",")).mapToInt(s -> Integer.parseInt(s.trim())).toArray();
    }
}
