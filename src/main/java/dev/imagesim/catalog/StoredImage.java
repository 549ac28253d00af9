package dev.imagesim.catalog;

/** An image to store: its original bytes, their content type and the decoded size. */
public record StoredImage(byte[] bytes, String contentType, int width, int height) {
}
