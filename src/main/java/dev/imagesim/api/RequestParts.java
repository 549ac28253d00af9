package dev.imagesim.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.stereotype.Component;
import org.springframework.web.multipart.MultipartFile;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.imagesim.ImagesimException;
import dev.imagesim.ImagesimException.Kind;
import dev.imagesim.RequestLimits;

/** Reads and checks the parts of requests: image uploads, metadata JSON, filters. */
@Component
class RequestParts {

    private final JsonMapper json;
    private final RequestLimits limits;

    RequestParts(JsonMapper json, RequestLimits limits) {
        this.json = json;
        this.limits = limits;
    }

    byte[] bytes(MultipartFile file) {
        try {
            return file.getBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read upload " + file.getName(), e);
        }
    }

    /** Validates metadata JSON: absent or blank means none, otherwise a JSON object within the size limit. */
    String metadata(String text) {
        return text == null || text.isBlank() ? null : metadata(object(text, "metadata"));
    }

    /** The same checks for metadata already parsed from a JSON body: null or JSON null means none. */
    String metadata(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            throw ImagesimException.invalid("metadata-malformed", "metadata must be a JSON object");
        }
        String canonical = json.writeValueAsString(node);
        long size = canonical.getBytes(StandardCharsets.UTF_8).length;
        if (size > limits.maxMetadataSize().toBytes()) {
            throw new ImagesimException(Kind.TOO_LARGE, "metadata-too-large", "the metadata has " + size
                    + " bytes; the limit is " + limits.maxMetadataSize().toBytes());
        }
        return canonical;
    }

    /** A JSON object given as text, or a 400 naming what was expected. */
    JsonNode object(String text, String what) {
        JsonNode node;
        try {
            node = json.readTree(text);
        } catch (JacksonException e) {
            throw ImagesimException.invalid(what + "-malformed", what + " is not valid JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw ImagesimException.invalid(what + "-malformed", what + " must be a JSON object");
        }
        return node;
    }

    /** A metadata equality filter: each field of the object must equal the image's metadata field. */
    Map<String, JsonNode> filter(JsonNode node) {
        Map<String, JsonNode> filter = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return filter;
        }
        if (!node.isObject()) {
            throw ImagesimException.invalid("filter-malformed", "filter must be a JSON object of field: value");
        }
        node.properties().forEach(entry -> filter.put(entry.getKey(), entry.getValue()));
        return filter;
    }

    /** The per-id metadata object of a batch request ({@code {"id": {...}}}), canonicalised per id. */
    Map<String, String> batchMetadata(String text) {
        Map<String, String> byId = new LinkedHashMap<>();
        if (text == null || text.isBlank()) {
            return byId;
        }
        object(text, "metadata").properties().forEach(entry -> {
            if (!entry.getValue().isObject()) {
                throw ImagesimException.invalid("metadata-malformed",
                        "metadata for '" + entry.getKey() + "' must be a JSON object");
            }
            byId.put(entry.getKey(), metadata(entry.getValue().toString()));
        });
        return byId;
    }
}
