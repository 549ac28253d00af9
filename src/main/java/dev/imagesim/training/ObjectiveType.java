package dev.imagesim.training;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The objectives a training job can optimise. */
public enum ObjectiveType {
    @JsonProperty("softmax") SOFTMAX(true),
    @JsonProperty("contrastive") CONTRASTIVE(true),
    @JsonProperty("triplet") TRIPLET(true),
    @JsonProperty("center") CENTER(true),
    @JsonProperty("autoencoder") AUTOENCODER(false),
    @JsonProperty("denoising-autoencoder") DENOISING_AUTOENCODER(false),
    @JsonProperty("self-supervised") SELF_SUPERVISED(false);

    private final boolean labelled;

    ObjectiveType(boolean labelled) {
        this.labelled = labelled;
    }

    /** Whether the objective needs class labels. */
    public boolean labelled() {
        return labelled;
    }

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
