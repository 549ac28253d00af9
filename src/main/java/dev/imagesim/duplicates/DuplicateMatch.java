package dev.imagesim.duplicates;

/** A stored image that duplicates the one checked, and how far from it it is in the method's distance. */
public record DuplicateMatch(String id, double distance) {
}
