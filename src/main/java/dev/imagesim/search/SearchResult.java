package dev.imagesim.search;

import java.util.List;

/** Neighbours closest first, the model that embedded the collection, and the server time taken. */
public record SearchResult(List<SearchHit> results, String model, long tookMs) {
}
