package dev.imagesim.browse;

import java.util.List;

/**
 * A 2-D map of a collection's embeddings.
 *
 * @param method    how the points were placed: {@code pca}
 * @param total     live images in the collection; {@code points} holds a deterministic sample of at most the
 *                  limit asked for
 * @param explained the share of the sample's variance along x and along y
 */
public record Projection(String method, int total, double[] explained, List<Point> points) {

    /** One image: its place on the map and the value of the chosen metadata key (null when it has none). */
    public record Point(String id, double x, double y, String label) {
    }
}
