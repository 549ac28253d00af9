package dev.imagesim.catalog;

/** A collection and how many images its index holds now. */
public record CollectionInfo(Collection collection, int size) {
}
