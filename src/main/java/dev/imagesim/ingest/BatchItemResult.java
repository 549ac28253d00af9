package dev.imagesim.ingest;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What happened to one image of a batch.
 *
 * @param status {@code created}, {@code updated} or {@code failed}
 * @param error  why it failed (problem code and message), null otherwise
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BatchItemResult(String id, String status, String error) {

    static BatchItemResult failed(String id, String code, String message) {
        return new BatchItemResult(id, "failed", code + ": " + message);
    }
}
