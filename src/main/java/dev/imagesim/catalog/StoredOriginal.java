package dev.imagesim.catalog;

/**
 * Where a live image's original bytes are, with its metadata: what training and re-indexing read.
 *
 * @param sequence     the collection sequence number of the image's current version
 * @param metadataJson the image's metadata object as JSON text, or null
 */
public record StoredOriginal(String id, long sequence, String blobSha256, String metadataJson) {
}
