package dev.imagesim.browse;

/** A small image of a stored one: its bytes, their content type and an ETag naming the original and the size. */
public record Thumbnail(byte[] bytes, String contentType, String etag) {
}
