package dev.imagesim.catalog;

/** A live image's id and its 64-bit perceptual hash. */
public record ImageHash(String id, long perceptualHash) {
}
