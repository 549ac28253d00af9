package dev.imagesim.catalog;

import java.util.List;

/**
 * One page of a collection's images in id order, without vectors.
 *
 * @param next the id to continue after, or null on the last page
 */
public record ImagePage(List<ImageRecord> images, String next) {
}
