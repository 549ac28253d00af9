package dev.imagesim.index;

/** A live item as the index holds it: its id and its vector (a unit vector in a cosine index). */
public record StoredVector(String id, float[] vector) {
}
