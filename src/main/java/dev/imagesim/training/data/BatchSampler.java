package dev.imagesim.training.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The batches of one epoch, as dataset indices. Each epoch's batches depend only on the seed and the epoch
 * number, so a resumed job sees the batches it would have seen.
 */
public interface BatchSampler {

    List<int[]> epoch(int epoch);

    /** Batches per epoch. */
    int batchesPerEpoch();

    /**
     * P×K sampling for metric learning: each batch holds P classes with K images each, so every anchor has
     * positives and negatives. A class with fewer than K images is sampled with replacement. An epoch has
     * as many batches as it takes to show the training set once on average.
     */
    static BatchSampler pk(ImageDataset dataset, int[] train, int p, int k, long seed) {
        Map<Integer, int[]> byClass = groupByClass(dataset, train);
        int classes = Math.min(p, byClass.size());
        int batches = Math.max(1, train.length / (classes * k));
        int[] labels = byClass.keySet().stream().mapToInt(Integer::intValue).toArray();
        return new BatchSampler() {
            @Override
            public List<int[]> epoch(int epoch) {
                SplittableRandom random = new SplittableRandom(seed * 1_000_003L + epoch);
                List<int[]> out = new ArrayList<>(batches);
                for (int b = 0; b < batches; b++) {
                    int[] chosen = choose(labels, classes, random);
                    int[] batch = new int[classes * k];
                    for (int c = 0; c < classes; c++) {
                        int[] members = byClass.get(chosen[c]);
                        int[] picked = members.length >= k ? choose(members, k, random) : withReplacement(members, k, random);
                        System.arraycopy(picked, 0, batch, c * k, k);
                    }
                    out.add(batch);
                }
                return out;
            }

            @Override
            public int batchesPerEpoch() {
                return batches;
            }
        };
    }

    /** Plain shuffled batches, for objectives that ignore labels; the last short batch is dropped. */
    static BatchSampler shuffled(int[] train, int batchSize, long seed) {
        int size = Math.min(batchSize, train.length);
        int batches = Math.max(1, train.length / size);
        return new BatchSampler() {
            @Override
            public List<int[]> epoch(int epoch) {
                int[] order = choose(train, train.length, new SplittableRandom(seed * 1_000_003L + epoch));
                List<int[]> out = new ArrayList<>(batches);
                for (int b = 0; b < batches; b++) {
                    out.add(Arrays.copyOfRange(order, b * size, (b + 1) * size));
                }
                return out;
            }

            @Override
            public int batchesPerEpoch() {
                return batches;
            }
        };
    }

    /**
     * Shuffled batches of {@code batchSize / views} images, each image repeated {@code views} times: its
     * first views, then its second ones in the same order, and so on (augmentation makes them differ).
     */
    static BatchSampler views(int[] train, int batchSize, int views, long seed) {
        BatchSampler images = shuffled(train, Math.max(1, batchSize / views), seed);
        return new BatchSampler() {
            @Override
            public List<int[]> epoch(int epoch) {
                List<int[]> out = new ArrayList<>();
                for (int[] batch : images.epoch(epoch)) {
                    int[] repeated = new int[batch.length * views];
                    for (int view = 0; view < views; view++) {
                        System.arraycopy(batch, 0, repeated, view * batch.length, batch.length);
                    }
                    out.add(repeated);
                }
                return out;
            }

            @Override
            public int batchesPerEpoch() {
                return images.batchesPerEpoch();
            }
        };
    }

    private static Map<Integer, int[]> groupByClass(ImageDataset dataset, int[] indices) {
        Map<Integer, List<Integer>> lists = new LinkedHashMap<>();
        for (int index : indices) {
            lists.computeIfAbsent(dataset.label(index), l -> new ArrayList<>()).add(index);
        }
        Map<Integer, int[]> byClass = new LinkedHashMap<>();
        lists.forEach((label, members) -> byClass.put(label, members.stream().mapToInt(Integer::intValue).toArray()));
        return byClass;
    }

    /** {@code count} distinct elements in random order (partial Fisher–Yates). */
    private static int[] choose(int[] from, int count, SplittableRandom random) {
        int[] pool = from.clone();
        for (int i = 0; i < count; i++) {
            int j = i + random.nextInt(pool.length - i);
            int t = pool[i];
            pool[i] = pool[j];
            pool[j] = t;
        }
        return Arrays.copyOf(pool, count);
    }

    private static int[] withReplacement(int[] from, int count, SplittableRandom random) {
        int[] out = new int[count];
        for (int i = 0; i < count; i++) {
            out[i] = from[random.nextInt(from.length)];
        }
        return out;
    }
}
