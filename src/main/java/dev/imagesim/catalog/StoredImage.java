package dev.imagesim.catalog;

/** An image to store: its original bytes, their content type, the decoded size and its perceptual hash. */
public record StoredImage(byte[] bytes, String contentType, int width, int height, long perceptualHash) {
}
