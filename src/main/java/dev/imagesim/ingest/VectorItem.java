package dev.imagesim.ingest;

/**
 * One client vector of a batch, checked by the caller's parsing only for shape.
 *
 * @param metadataJson a JSON object as text, or null
 */
public record VectorItem(String id, float[] vector, String metadataJson) {
}
