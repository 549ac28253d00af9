package dev.imagesim.training.data;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Where a training dataset comes from. */
public enum DatasetType {
    /** A directory with one sub-directory of images per class. */
    @JsonProperty("imagefolder") IMAGEFOLDER,
    /** MNIST-format IDX image and label files. */
    @JsonProperty("idx") IDX,
    /** A zip laid out like an ImageFolder (class/image.png). */
    @JsonProperty("zip") ZIP,
    /** An existing collection whose image metadata holds the class under a label key. */
    @JsonProperty("collection") COLLECTION
}
