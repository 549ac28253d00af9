package dev.imagesim.catalog;

/**
 * A live image's metadata: its JSON text (null when it has none) and the sequence number of the write that
 * stored it, which is also the version the collection's index holds for the image.
 */
public record LiveMetadata(long sequence, String json) {
}
