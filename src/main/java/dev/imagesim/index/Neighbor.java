package dev.imagesim.index;

/** One search result: the item id and its distance to the query. */
public record Neighbor(String id, float distance) {
}
