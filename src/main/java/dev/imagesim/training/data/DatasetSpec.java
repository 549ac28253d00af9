package dev.imagesim.training.data;

import java.util.List;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The dataset part of a training request.
 *
 * @param type               imagefolder, idx, zip or collection
 * @param path               for files, a path under the dataset root; for a collection, its name
 * @param labelKey           for a collection: the metadata key holding each image's class (default "label")
 * @param heldOutClasses     classes kept out of training and used only to measure retrieval on unseen classes
 * @param validationFraction share of each training class kept aside for validation (default 0.1)
 * @param maxImagesPerClass  train on at most this many images of each class (a seeded sample), for quick
 *                           experiments and fixed-budget benchmarks; default all
 */
public record DatasetSpec(
        @Schema(example = "idx", allowableValues = {"imagefolder", "idx", "zip", "collection"}) DatasetType type,
        @Schema(example = "fashion-mnist") String path,
        @Schema(example = "label") String labelKey,
        @Schema(example = "[\"8\", \"9\"]") List<String> heldOutClasses,
        @Schema(example = "0.1") Double validationFraction,
        @Schema(example = "1000") Integer maxImagesPerClass) {

    public DatasetSpec {
        heldOutClasses = heldOutClasses == null ? List.of() : List.copyOf(heldOutClasses);
    }

    public String labelKeyOrDefault() {
        return labelKey == null || labelKey.isBlank() ? "label" : labelKey;
    }

    public double validationFractionOrDefault() {
        return validationFraction == null ? 0.1 : validationFraction;
    }
}
