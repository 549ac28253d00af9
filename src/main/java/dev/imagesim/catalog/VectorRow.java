package dev.imagesim.catalog;

/** A live image's id, stored vector and metadata (a JSON object as text, or null). */
public record VectorRow(String id, float[] vector, String metadataJson) {
}
