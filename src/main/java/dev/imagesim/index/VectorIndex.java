package dev.imagesim.index;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/**
 * A nearest-neighbour index over string ids. Writes carry the catalog's sequence number as a version, so
 * an older write never overrides a newer one. Searches may run concurrently with writes.
 */
public interface VectorIndex {

    /** Adds or replaces the vector stored under {@code id}. */
    void upsert(String id, float[] vector, long version);

    /** Removes {@code id} (softly, for HNSW: the node stays in the graph until a rebuild). */
    void remove(String id, long version);

    /** Up to {@code k} nearest neighbours, closest first; {@code ef} is the search breadth where it applies. */
    List<Neighbor> search(float[] query, int k, int ef);

    /**
     * {@link #search} as if {@code id} were not in the index: never returned, and (for HNSW) never walked
     * through. A stored vector searched for this way stands in for a query the index has not seen, which
     * a search that could reach it would not: the vector finds itself, and through its own links its
     * neighbours. An id that is not live changes nothing.
     */
    List<Neighbor> searchWithout(float[] query, int k, int ef, String id);

    /**
     * The exact {@code k} nearest live neighbours of each query, closest first, each query's own id
     * ({@code ids[q]}, null for none) left out: one pass over the stored vectors for all the queries, with
     * the distances searches use. {@code listener} follows the pass and may stop it.
     *
     * @throws java.util.concurrent.CancellationException when the listener stops the pass
     */
    List<List<Neighbor>> exactSearchWithout(float[][] queries, String[] ids, int k, ScanListener listener);

    /**
     * Up to {@code size} live items, the ones whose ids hash lowest with {@code seed}: the same items for the
     * same contents and seed, whatever order they were inserted in.
     */
    List<StoredVector> sample(int size, long seed);

    /** Live (not removed) items. */
    int size();

    int dimension();

    Distance distance();

    IndexType type();

    IndexParameters parameters();

    /** Serialises the index; {@link #read} reads it back. */
    void save(OutputStream out) throws IOException;

    /** An empty index: {@link HnswIndex} for {@link IndexType#HNSW}, {@link ExactIndex} for exact search. */
    static VectorIndex create(IndexParameters parameters, Distance distance, int dimension) {
        return parameters.type() == IndexType.HNSW
                ? new HnswIndex(parameters, distance, dimension)
                : new ExactIndex(parameters, distance, dimension);
    }

    /** Reads an index written by {@link #save}; the caller supplies what the snapshot header recorded. */
    static VectorIndex read(InputStream in, IndexParameters parameters, Distance distance, int dimension)
            throws IOException {
        StoredVectorIndex index = (StoredVectorIndex) create(parameters, distance, dimension);
        index.read(in);
        return index;
    }
}
