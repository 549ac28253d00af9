package dev.imagesim.bench;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.imagesim.index.Distance;
import dev.imagesim.index.IndexParameters;
import dev.imagesim.index.IndexType;
import dev.imagesim.index.Neighbor;
import dev.imagesim.index.VectorIndex;

/**
 * The Java side of {@code bench/index-bench.sh}: the service's HNSW index ({@link VectorIndex} of type
 * HNSW) on fashion-mnist-784-euclidean — 60,000 train images as base, 10,000 test
 * images as queries, exact top-10 from the ground-truth file the native peer wrote — with M, efConstruction,
 * thread counts and the ef sweep of the peer. Prints the same tab-separated rows as {@code hnswlib_bench}.
 */
@Tag("benchmark")
class IndexBenchmark {

    private static final int K = 10;
    private static final Path DATA = Path.of(System.getProperty("imagesim.bench.fashion-mnist",
            "/usr/share/datasets/fashion-mnist"));
    private static final Path GROUND_TRUTH = Path.of(System.getProperty("imagesim.bench.ground-truth",
            "target/bench/fashion-mnist-gt.i32"));

    @Test
    void fashionMnist784Euclidean() throws Exception {
        assumeTrue(Files.exists(DATA.resolve("train-images-idx3-ubyte.gz")), "no Fashion-MNIST at " + DATA
                + " (Debian package dataset-fashion-mnist)");
        assumeTrue(Files.exists(GROUND_TRUTH), "no ground truth at " + GROUND_TRUTH + ": run bench/index-bench.sh");
        float[][] base = readIdx(DATA.resolve("train-images-idx3-ubyte.gz"));
        float[][] queries = readIdx(DATA.resolve("t10k-images-idx3-ubyte.gz"));
        int[] truth = readGroundTruth(queries.length);
        int m = Integer.getInteger("imagesim.bench.m", 16);
        int efConstruction = Integer.getInteger("imagesim.bench.ef-construction", 200);
        int[] threadCounts = list(System.getProperty("imagesim.bench.threads", "1,2"));
        int[] efs = list(System.getProperty("imagesim.bench.efs", "10,20,40,80,160,320"));

        VectorIndex index = null;
        for (int threads : threadCounts) {
            index = null;
            System.gc();
            long heapBefore = usedHeap();
            VectorIndex built = VectorIndex.create(
                    new IndexParameters(IndexType.HNSW, m, efConstruction, 1), Distance.EUCLIDEAN, base[0].length);
            long start = System.nanoTime();
            // a copy per vector, as a request gives the index: its heap then counts the vectors too
            run(threads, base.length, i -> built.upsert(Integer.toString(i), base[i].clone(), 1));
            double seconds = (System.nanoTime() - start) / 1e9;
            System.gc();
            System.out.printf("build\tjava\t%d\t%.2f\t%d%n", threads, seconds, usedHeap() - heapBefore);
            index = built;
        }
        for (int threads : threadCounts) {
            for (int ef : efs) {
                VectorIndex searched = index;
                int[] hits = new int[queries.length];
                long start = System.nanoTime();
                run(threads, queries.length, q -> {
                    Set<String> expected = new HashSet<>();
                    for (int j = 0; j < K; j++) {
                        expected.add(Integer.toString(truth[q * K + j]));
                    }
                    int h = 0;
                    for (Neighbor found : searched.search(queries[q], K, ef)) {
                        h += expected.contains(found.id()) ? 1 : 0;
                    }
                    hits[q] = h;
                });
                double seconds = (System.nanoTime() - start) / 1e9;
                double recall = Arrays.stream(hits).sum() / (double) (queries.length * K);
                System.out.printf("search\tjava\t%d\t%d\t%.4f\t%.1f%n", threads, ef, recall, queries.length / seconds);
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

    private static float[][] readIdx(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(new GZIPInputStream(Files.newInputStream(file), 1 << 16))) {
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

    private static int[] readGroundTruth(int queries) throws IOException {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(GROUND_TRUTH)) {
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
