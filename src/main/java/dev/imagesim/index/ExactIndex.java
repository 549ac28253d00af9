package dev.imagesim.index;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.List;

import dev.imagesim.vector.Distance;

/** Exact search: every live vector is compared with the query. For small collections and recall checks. */
final class ExactIndex extends StoredVectorIndex {

    ExactIndex(IndexParameters parameters, Distance distance, int dimension) {
        super(parameters, distance, dimension, 0);
    }

    @Override
    void link(int node) {
        // A scan needs no structure beyond the stored vector.
    }

    @Override
    void growTo(int newCapacity) {
        // Nothing of its own to grow.
    }

    @Override
    List<Neighbor> search(float[] query, int k, int ef, int hidden) {
        return scan(new float[][] {preparedQuery(query)}, new int[] {hidden}, k, ScanListener.NONE).get(0);
    }

    @Override
    void saveLinks(DataOutputStream out, BulkData bulk, int count) {
        // No links.
    }

    @Override
    void readLinks(DataInputStream in, BulkData bulk, int count) {
        // No links.
    }
}
