package dev.imagesim.index;

import java.util.List;

/**
 * What tuning a collection's search breadth needs of an in-process index beyond {@link VectorIndex}: a
 * reproducible sample of its own vectors to query with, the exact answers for them, and searches that leave
 * the query's own item out.
 */
public interface TunableIndex extends VectorIndex {

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
}
