package dev.imagesim.catalog;

import java.time.Instant;

/**
 * A stored image: its embedding, metadata (a JSON object as text) and a pointer to the original bytes; or a
 * vector a client stored in a vector collection, which has no model, blob, content type or size.
 *
 * @param sequence       the collection sequence number of the write that produced this version
 * @param perceptualHash the image's 64-bit DCT perceptual hash; null for a client's vector or an image stored
 *                       before the service kept them
 */
public record ImageRecord(String collection, String id, long sequence, String modelId, float[] vector,
        String metadataJson, String blobSha256, String contentType, Integer width, Integer height, Instant createdAt,
        Instant updatedAt, Long perceptualHash) {
}
