package dev.imagesim.catalog;

/** The stored record, and whether the id was new (created) or replaced an image (updated). */
public record UpsertResult(ImageRecord record, boolean created) {
}
