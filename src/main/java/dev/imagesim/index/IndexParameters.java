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
}
