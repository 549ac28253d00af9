package dev.imagesim.search;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import tools.jackson.databind.JsonNode;

/**
 * One neighbour: id, distance, similarity score (larger is closer) and the image's metadata; when the search
 * collapsed duplicates, the ids of the lower-ranked copies of this image it hid ({@code copies}, absent
 * otherwise).
 */
public record SearchHit(String id, float distance, float score, JsonNode metadata,
        @JsonInclude(JsonInclude.Include.NON_NULL) List<String> copies) {

    SearchHit withCopies(List<String> hidden) {
        return new SearchHit(id, distance, score, metadata, List.copyOf(hidden));
    }
}
