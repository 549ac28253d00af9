package dev.imagesim.index;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How a collection's vectors are searched. */
public enum IndexType {
    /** Approximate search in a hierarchical navigable small-world graph ({@link HnswIndex}). */
    @JsonProperty("hnsw") HNSW,
    /** The same algorithm from the hnswlib-core library ({@link HnswlibIndex}), for comparison. */
    @JsonProperty("hnswlib") HNSWLIB,
    /** Exact brute-force search: for small collections and recall checks. */
    @JsonProperty("exact") EXACT;

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
