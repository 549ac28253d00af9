package dev.imagesim.catalog;

/**
 * Where a live image's original bytes are, with its metadata: what training and re-indexing read.
 *
 * @param metadataJson the image's metadata object as JSON text, or null
 */
public record StoredOriginal(String id, String blobSha256, String metadataJson) {
}
