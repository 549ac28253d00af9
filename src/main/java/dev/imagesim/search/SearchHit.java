package dev.imagesim.search;

import tools.jackson.databind.JsonNode;

/** One neighbour: id, distance, similarity score (larger is closer) and the image's metadata. */
public record SearchHit(String id, float distance, float score, JsonNode metadata) {
}
