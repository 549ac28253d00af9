package dev.imagesim.catalog;

/**
 * A client's own vector to store under an id in a vector collection. Parsing checks only its shape; the
 * catalog checks the id and the dimension.
 *
 * @param metadataJson a JSON object as text, or null
 */
public record VectorItem(String id, float[] vector, String metadataJson) {
}
