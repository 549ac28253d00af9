package dev.imagesim.index;

/**
 * One search result: the item id, its distance to the query, and the version the index holds for it (the
 * catalog's sequence number of the write that stored it).
 */
public record Neighbor(String id, float distance, long version) {
}
