package dev.imagesim.index;

/**
 * Told how far a pass over an index's stored vectors ({@link VectorIndex#exactSearchWithout}) has come,
 * every {@link #EVERY} nodes; answers false to stop it.
 */
@FunctionalInterface
public interface ScanListener {

    /** Nodes between two calls. */
    int EVERY = 1024;

    /** Goes on to the end. */
    ScanListener NONE = (scanned, nodes) -> true;

    /** {@code scanned} of the index's {@code nodes} nodes (deleted ones included) passed; false stops. */
    boolean scanned(int scanned, int nodes);
}
