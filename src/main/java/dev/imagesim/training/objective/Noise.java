package dev.imagesim.training.objective;

import com.fasterxml.jackson.annotation.JsonProperty;

import ai.djl.ndarray.NDArray;

/** Input corruption for a denoising autoencoder; {@code level} is its strength. */
public enum Noise {

    /** Adds N(0, level²) to every normalised input value. */
    @JsonProperty("gaussian")
    GAUSSIAN {
        @Override
        public NDArray apply(NDArray clean, float level) {
            return clean.add(clean.getManager().randomNormal(0f, level, clean.getShape(), clean.getDataType()));
        }
    },

    /** Sets each input value to zero (the normalised mean) with probability {@code level}. */
    @JsonProperty("masking")
    MASKING {
        @Override
        public NDArray apply(NDArray clean, float level) {
            NDArray keep = clean.getManager().randomUniform(0f, 1f, clean.getShape(), clean.getDataType())
                    .gte(level).toType(clean.getDataType(), false);
            return clean.mul(keep);
        }
    };

    public abstract NDArray apply(NDArray clean, float level);
}
