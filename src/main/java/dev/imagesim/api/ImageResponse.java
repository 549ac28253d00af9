package dev.imagesim.api;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;

import tools.jackson.databind.JsonNode;

import dev.imagesim.catalog.ImageRecord;

/**
 * A stored image as the API shows it; {@code vector} only on request. Vectors stored by clients have no
 * model, content type, size or blob.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record ImageResponse(String collection, String id, long sequence, String model, JsonNode metadata,
        String contentType, Integer width, Integer height, String sha256, Instant createdAt, Instant updatedAt,
        float[] vector) {

    static ImageResponse of(ImageRecord r, JsonNode metadata, boolean withVector) {
        return new ImageResponse(r.collection(), r.id(), r.sequence(), r.modelId(), metadata, r.contentType(),
                r.width(), r.height(), r.blobSha256(), r.createdAt(), r.updatedAt(), withVector ? r.vector() : null);
    }
}
