package dev.imagesim.training;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How the learning rate changes over a job's iterations. */
public enum LearningRateSchedule {

    /** The same rate throughout. */
    @JsonProperty("constant")
    CONSTANT {
        @Override
        public double factor(long iteration, long total) {
            return 1;
        }
    },

    /**
     * Half a cosine from the full rate down to zero over the job (Loshchilov and Hutter 2017): large
     * steps early, small ones late, which keeps metric losses from drifting once the embedding has settled.
     */
    @JsonProperty("cosine")
    COSINE {
        @Override
        public double factor(long iteration, long total) {
            double progress = Math.min(1, (double) iteration / Math.max(1, total));
            return 0.5 * (1 + Math.cos(Math.PI * progress));
        }
    };

    /** The multiplier of the base rate at {@code iteration} (0-based) of {@code total}. */
    public abstract double factor(long iteration, long total);
}
