package dev.imagesim.vector;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Distance metrics a collection or model can use, and how a distance becomes a similarity score. */
public enum Distance {

    /** 1 − cos(a, b), in [0, 2]; score = cos(a, b). */
    @JsonProperty("cosine")
    COSINE {
        @Override
        public float between(float[] a, float[] b) {
            double dot = 0;
            double na = 0;
            double nb = 0;
            for (int i = 0; i < a.length; i++) {
                dot += (double) a[i] * b[i];
                na += (double) a[i] * a[i];
                nb += (double) b[i] * b[i];
            }
            double denominator = Math.sqrt(na) * Math.sqrt(nb);
            return denominator == 0 ? 1f : (float) (1 - dot / denominator);
        }

        @Override
        public float score(float distance) {
            return 1f - distance;
        }
    },

    /** Euclidean (L2) distance; score = 1 / (1 + d). */
    @JsonProperty("euclidean")
    EUCLIDEAN {
        @Override
        public float between(float[] a, float[] b) {
            double sum = 0;
            for (int i = 0; i < a.length; i++) {
                double d = (double) a[i] - b[i];
                sum += d * d;
            }
            return (float) Math.sqrt(sum);
        }

        @Override
        public float score(float distance) {
            return 1f / (1f + distance);
        }
    };

    /** The distance between two vectors of equal length. */
    public abstract float between(float[] a, float[] b);

    /** A similarity in which larger means closer: cosine similarity, or 1/(1+d) for euclidean. */
    public abstract float score(float distance);

    /** The lower-case name used on the wire and in manifests. */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Parses a wire name; null when it names no metric. */
    public static Distance fromWireName(String name) {
        for (Distance d : values()) {
            if (d.wireName().equals(name)) {
                return d;
            }
        }
        return null;
    }
}
