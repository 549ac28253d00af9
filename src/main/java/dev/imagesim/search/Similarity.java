package dev.imagesim.search;

/**
 * How alike two images are.
 *
 * @param threshold the model's calibrated match threshold (a distance), or null when it has none
 * @param match     distance ≤ threshold, or null when there is no threshold
 */
public record Similarity(String model, String metric, float distance, float similarity, Double threshold,
        Boolean match) {
}
