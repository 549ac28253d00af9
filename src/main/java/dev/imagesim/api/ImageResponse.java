package dev.imagesim.api;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.imagesim.catalog.ImageRecord;

/**
 * A stored image as the API shows it; {@code vector} only on request. Vectors stored by clients have no
 * model, content type, size or blob.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record ImageResponse(String collection, String id, long sequence, String model, JsonNode metadata,
        String contentType, Integer width, Integer height, String sha256, String perceptualHash, Instant createdAt,
        Instant updatedAt, float[] vector) {

    static ImageResponse of(ImageRecord r, JsonMapper json, boolean withVector) {
        JsonNode metadata = r.metadataJson() == null ? json.createObjectNode() : json.readTree(r.metadataJson());
        return new ImageResponse(r.collection(), r.id(), r.sequence(), r.modelId(), metadata, r.contentType(),
                r.width(), r.height(), r.blobSha256(),
                r.perceptualHash() == null ? null : String.format("%016x", r.perceptualHash()), r.createdAt(),
                r.updatedAt(), withVector ? r.vector() : null);
    }
}
