package dev.imagesim.training.objective;

import java.util.Arrays;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Online triplet mining inside a P×K batch, on the batch's (detached) distance matrix. The loss is then
 * computed, with gradients, on the chosen triplets only.
 */
public enum TripletMiner {

    /** For each anchor, its farthest positive and its nearest negative (Hermans et al. 2017). */
    @JsonProperty("batch-hard")
    BATCH_HARD {
        @Override
        public Triplets mine(float[][] d, int[] labels) {
            Builder out = new Builder();
            for (int a = 0; a < labels.length; a++) {
                int hardestPositive = -1;
                int hardestNegative = -1;
                for (int j = 0; j < labels.length; j++) {
                    if (j == a) {
                        continue;
                    }
                    if (labels[j] == labels[a]) {
                        if (hardestPositive < 0 || d[a][j] > d[a][hardestPositive]) {
                            hardestPositive = j;
                        }
                    } else if (hardestNegative < 0 || d[a][j] < d[a][hardestNegative]) {
                        hardestNegative = j;
                    }
                }
                if (hardestPositive >= 0 && hardestNegative >= 0) {
                    out.add(a, hardestPositive, hardestNegative);
                }
            }
            return out.build();
        }
    },

    /**
     * For each anchor–positive pair, the nearest negative that is still farther than the positive
     * (Schroff et al. 2015); where none is, the farthest negative, as TensorFlow Addons does.
     */
    @JsonProperty("semi-hard")
    SEMI_HARD {
        @Override
        public Triplets mine(float[][] d, int[] labels) {
            Builder out = new Builder();
            forEachPositivePair(labels, (a, p) -> {
                int semiHard = -1;
                int farthest = -1;
                for (int n = 0; n < labels.length; n++) {
                    if (labels[n] == labels[a]) {
                        continue;
                    }
                    if (d[a][n] > d[a][p] && (semiHard < 0 || d[a][n] < d[a][semiHard])) {
                        semiHard = n;
                    }
                    if (farthest < 0 || d[a][n] > d[a][farthest]) {
                        farthest = n;
                    }
                }
                if (farthest >= 0) {
                    out.add(a, p, semiHard >= 0 ? semiHard : farthest);
                }
            });
            return out.build();
        }
    },

    /** Every valid triplet in the batch; the loss averages over those with a positive loss. */
    @JsonProperty("batch-all")
    BATCH_ALL {
        @Override
        public Triplets mine(float[][] d, int[] labels) {
            Builder out = new Builder();
            forEachPositivePair(labels, (a, p) -> {
                for (int n = 0; n < labels.length; n++) {
                    if (labels[n] != labels[a]) {
                        out.add(a, p, n);
                    }
                }
            });
            return out.build();
        }
    };

    /** The triplets this strategy selects from distance matrix {@code d} of a batch with these labels. */
    public abstract Triplets mine(float[][] d, int[] labels);

    private interface PairVisitor {
        void visit(int anchor, int positive);
    }

    /** Every ordered (anchor, positive) pair of distinct samples of the same class. */
    private static void forEachPositivePair(int[] labels, PairVisitor visitor) {
        for (int a = 0; a < labels.length; a++) {
            for (int p = 0; p < labels.length; p++) {
                if (p != a && labels[p] == labels[a]) {
                    visitor.visit(a, p);
                }
            }
        }
    }

    private static final class Builder {
        private int[] a = new int[16];
        private int[] p = new int[16];
        private int[] n = new int[16];
        private int size;

        void add(int anchor, int positive, int negative) {
            if (size == a.length) {
                a = Arrays.copyOf(a, size * 2);
                p = Arrays.copyOf(p, size * 2);
                n = Arrays.copyOf(n, size * 2);
            }
            a[size] = anchor;
            p[size] = positive;
            n[size] = negative;
            size++;
        }

        Triplets build() {
            return new Triplets(Arrays.copyOf(a, size), Arrays.copyOf(p, size), Arrays.copyOf(n, size));
        }
    }
}
