package dev.imagesim.ingest;

/** One image of a batch: the id it will be stored under, its bytes and optional metadata JSON. */
public record BatchItem(String id, byte[] bytes, String metadataJson) {
}
