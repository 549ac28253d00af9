package dev.imagesim.training;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Where a job trains: {@code auto} takes the first GPU when the engine sees one, else the CPU. */
public enum TrainingDevice {
    @JsonProperty("auto") AUTO,
    @JsonProperty("cpu") CPU,
    @JsonProperty("gpu") GPU
}
