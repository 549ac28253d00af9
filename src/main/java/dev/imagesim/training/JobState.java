package dev.imagesim.training;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The life of a training job. */
public enum JobState {
    @JsonProperty("queued") QUEUED,
    @JsonProperty("running") RUNNING,
    @JsonProperty("succeeded") SUCCEEDED,
    @JsonProperty("failed") FAILED,
    @JsonProperty("cancelled") CANCELLED,
    /** The service stopped while the job was queued or running; it can be resumed from its last checkpoint. */
    @JsonProperty("interrupted") INTERRUPTED;

    public boolean finished() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }
}
