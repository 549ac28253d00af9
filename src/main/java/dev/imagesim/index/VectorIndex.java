package dev.imagesim.index;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

import dev.imagesim.vector.Distance;

/**
 * The contract every vector index backend implements: a nearest-neighbour index over string ids. Writes carry
 * the catalog's sequence number as a version, so an older write never overrides a newer one, and replaying
 * writes after a crash changes nothing. Searches may run concurrently with writes. The shared contract test
 * ({@code VectorIndexContractTest}) is what an implementation must pass.
 */
public interface VectorIndex {

    /** Adds or replaces the vector stored under {@code id}, unless the index holds a newer version of it. */
    void upsert(String id, float[] vector, long version);

    /** Removes {@code id}, unless the index holds a newer version of it. */
    void remove(String id, long version);

    /**
     * Up to {@code k} nearest live neighbours, closest first, with the distances of {@link #distance()};
     * {@code ef} is the search breadth where the backend has one (ignored by exact search).
     */
    List<Neighbor> search(float[] query, int k, int ef);

    /**
     * The exact {@code k} nearest live neighbours among {@code ids}, closest first: what a filtered search
     * asks once the catalog has named the few ids that pass its filter. Ids the index does not hold live are
     * left out; the work is proportional to {@code ids.size()}, not to the index's size.
     */
    List<Neighbor> searchAmong(float[] query, int k, java.util.Collection<String> ids);

    /** Live (not removed) items. */
    int size();

    int dimension();

    Distance distance();

    IndexParameters parameters();

    /** Serialises the index; {@link #read} reads it back. */
    void save(OutputStream out) throws IOException;

    /**
     * An empty index: {@link HnswIndex} for {@link IndexType#HNSW}, {@link HnswlibIndex} for
     * {@link IndexType#HNSWLIB}, {@link ExactIndex} for exact search.
     */
    static VectorIndex create(IndexParameters parameters, Distance distance, int dimension) {
        return switch (parameters.type()) {
            case HNSW -> new HnswIndex(parameters, distance, dimension);
            case HNSWLIB -> new HnswlibIndex(parameters, distance, dimension);
            case EXACT -> new ExactIndex(parameters, distance, dimension);
        };
    }

    /** Reads an index written by {@link #save}; the caller supplies what the snapshot header recorded. */
    static VectorIndex read(InputStream in, IndexParameters parameters, Distance distance, int dimension)
            throws IOException {
        if (parameters.type() == IndexType.HNSWLIB) {
            return HnswlibIndex.read(in, parameters, distance, dimension);
        }
        StoredVectorIndex index = (StoredVectorIndex) create(parameters, distance, dimension);
        index.read(in);
        return index;
    }
}
