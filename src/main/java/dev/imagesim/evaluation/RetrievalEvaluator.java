package dev.imagesim.evaluation;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.stream.IntStream;

import dev.imagesim.model.RetrievalMetrics;
import dev.imagesim.vector.Distance;

/**
 * Computes {@link RetrievalMetrics} by exact leave-one-out search. Each query scans every item and keeps
 * only its best {@code max(R, 10)} neighbours in a bounded heap; queries run in parallel. Memory grows with
 * the threads times R, never with n².
 */
public final class RetrievalEvaluator {

    private static final int[] RECALL_KS = {1, 5, 10};

    private RetrievalEvaluator() {
    }

    public static RetrievalMetrics evaluate(float[][] embeddings, int[] labels, Distance distance) {
        if (embeddings.length != labels.length) {
            throw new IllegalArgumentException("one label per embedding is required");
        }
        Map<Integer, Integer> classSizes = new HashMap<>();
        for (int label : labels) {
            classSizes.merge(label, 1, Integer::sum);
        }
        double[][] perQuery = IntStream.range(0, embeddings.length).parallel()
                .mapToObj(q -> score(embeddings, labels, q, classSizes.get(labels[q]) - 1, distance))
                .filter(Objects::nonNull)
                .toArray(double[][]::new);
        int queries = perQuery.length;
        if (queries == 0) {
            return new RetrievalMetrics(0, 0, 0, 0, 0, 0);
        }
        double[] mean = new double[RECALL_KS.length + 2];
        for (double[] row : perQuery) {
            for (int i = 0; i < mean.length; i++) {
                mean[i] += row[i];
            }
        }
        for (int i = 0; i < mean.length; i++) {
            mean[i] /= queries;
        }
        return new RetrievalMetrics(queries, mean[0], mean[1], mean[2], mean[3], mean[4]);
    }

    /** Recall@1/5/10, R-precision and AP@R of one query, or null when its class has no other member. */
    private static double[] score(float[][] embeddings, int[] labels, int q, int relevant, Distance distance) {
        if (relevant == 0) {
            return null;
        }
        int[] ranked = nearest(embeddings, q, Math.max(relevant, RECALL_KS[RECALL_KS.length - 1]), distance);
        double[] row = new double[RECALL_KS.length + 2];
        for (int k = 0; k < RECALL_KS.length; k++) {
            row[k] = anyRelevant(ranked, labels, labels[q], RECALL_KS[k]) ? 1 : 0;
        }
        int hits = 0;
        double precisionSum = 0;
        for (int i = 0; i < relevant && i < ranked.length; i++) {
            if (labels[ranked[i]] == labels[q]) {
                hits++;
                precisionSum += (double) hits / (i + 1);
            }
        }
        row[RECALL_KS.length] = (double) hits / relevant;
        row[RECALL_KS.length + 1] = precisionSum / relevant;
        return row;
    }

    private static boolean anyRelevant(int[] ranked, int[] labels, int label, int k) {
        for (int i = 0; i < k && i < ranked.length; i++) {
            if (labels[ranked[i]] == label) {
                return true;
            }
        }
        return false;
    }

    /** Indices of the {@code m} items nearest to {@code query}, excluding it, nearest first; ties by index. */
    static int[] nearest(float[][] embeddings, int query, int m, Distance distance) {
        int size = Math.min(m, embeddings.length - 1);
        TopK top = new TopK(size);
        for (int j = 0; j < embeddings.length; j++) {
            if (j != query) {
                top.offer(j, distance.between(embeddings[query], embeddings[j]));
            }
        }
        return top.sortedIndices();
    }

    /** A bounded max-heap on distance keeping the smallest {@code capacity} (index, distance) pairs. */
    private static final class TopK {
        private final int[] index;
        private final float[] dist;
        private int size;

        TopK(int capacity) {
            index = new int[capacity];
            dist = new float[capacity];
        }

        void offer(int i, float d) {
            if (index.length == 0) {
                return;
            }
            if (size < index.length) {
                index[size] = i;
                dist[size] = d;
                siftUp(size++);
            } else if (d < dist[0]) {
                index[0] = i;
                dist[0] = d;
                siftDown(0);
            }
        }

        int[] sortedIndices() {
            Integer[] order = new Integer[size];
            for (int i = 0; i < size; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> dist[a] != dist[b] ? Float.compare(dist[a], dist[b])
                    : Integer.compare(index[a], index[b]));
            int[] sorted = new int[size];
            for (int i = 0; i < size; i++) {
                sorted[i] = index[order[i]];
            }
            return sorted;
        }

        private boolean above(int a, int b) {
            return dist[a] > dist[b] || (dist[a] == dist[b] && index[a] > index[b]);
        }

        private void siftUp(int i) {
            while (i > 0) {
                int parent = (i - 1) / 2;
                if (!above(i, parent)) {
                    return;
                }
                swap(i, parent);
                i = parent;
            }
        }

        private void siftDown(int i) {
            while (true) {
                int largest = i;
                for (int child = 2 * i + 1; child <= 2 * i + 2 && child < size; child++) {
                    if (above(child, largest)) {
                        largest = child;
                    }
                }
                if (largest == i) {
                    return;
                }
                swap(i, largest);
                i = largest;
            }
        }

        private void swap(int a, int b) {
            int ti = index[a];
            index[a] = index[b];
            index[b] = ti;
            float td = dist[a];
            dist[a] = dist[b];
            dist[b] = td;
        }
    }
}
