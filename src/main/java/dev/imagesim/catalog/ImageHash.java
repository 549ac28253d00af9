package dev.imagesim.catalog;

/**
 * A live image's id, the SHA-256 of its original bytes and its 64-bit perceptual hash (null for an image stored
 * before the service kept them).
 */
public record ImageHash(String id, String blobSha256, Long perceptualHash) {
}
