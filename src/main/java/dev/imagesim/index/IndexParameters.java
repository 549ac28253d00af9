package dev.imagesim.index;

/**
 * How to build and search one collection's index.
 *
 * @param type           HNSW or exact
 * @param m              HNSW links per node
 * @param efConstruction HNSW candidate list size while inserting
 * @param ef             default HNSW candidate list size while searching
 */
public record IndexParameters(IndexType type, int m, int efConstruction, int ef) {

    /** The same index searched with another default breadth. */
    public IndexParameters withEf(int newEf) {
        return new IndexParameters(type, m, efConstruction, newEf);
    }

    /** True when both build the same graph: {@code ef} is a search setting and does not count. */
    public boolean buildsSameIndexAs(IndexParameters other) {
        return type == other.type && m == other.m && efConstruction == other.efConstruction;
    }
}
