package dev.imagesim.index;

import com.github.jelmerk.hnswlib.core.Item;

/** A vector as hnswlib-core stores it: id, vector and the catalog sequence number as version. */
record IndexedVector(String id, float[] vector, long version) implements Item<String, float[]> {

    private static final long serialVersionUID = 1L;

    @Override
    public int dimensions() {
        return vector.length;
    }
}
