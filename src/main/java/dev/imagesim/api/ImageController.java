package dev.imagesim.api;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.imagesim.ImagesimException;
import dev.imagesim.RequestLimits;
import dev.imagesim.catalog.Catalog;
import dev.imagesim.catalog.ImageRecord;
import dev.imagesim.catalog.UpsertResult;
import dev.imagesim.ingest.BatchItem;
import dev.imagesim.ingest.BatchResult;
import dev.imagesim.ingest.ImageIngest;
import dev.imagesim.catalog.VectorItem;
import dev.imagesim.ingest.Uploads;
import dev.imagesim.ingest.Uploads.Upload;

@RestController
@RequestMapping("/api/v1/collections/{collection}")
@Tag(name = "Images", description = "Add, read and delete images of a collection")
class ImageController {

    private final ImageIngest ingest;
    private final Uploads uploads;
    private final Catalog catalog;
    private final RequestParts parts;
    private final RequestLimits limits;
    private final JsonMapper json;

    ImageController(ImageIngest ingest, Uploads uploads, Catalog catalog, RequestParts parts, RequestLimits limits,
            JsonMapper json) {
        this.ingest = ingest;
        this.uploads = uploads;
        this.catalog = catalog;
        this.parts = parts;
        this.limits = limits;
        this.json = json;
    }

    @PutMapping(path = "/images/{id}", consumes = MediaType.MULTIPART_FORM_DATA_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Add or replace an image",
            description = "Multipart: `image` (PNG, JPEG, GIF or BMP) and optional `metadata` (a JSON object). "
                    + "201 when the id is new, 200 when it replaced an image. Acknowledged only after commit. "
                    + "With `ifNoDuplicate=true`, 409 `duplicate-exists` (naming them) instead of storing a copy "
                    + "of an image the collection holds under another id (the `hash` duplicate check).")
    ResponseEntity<ImageResponse> put(@PathVariable String collection, @PathVariable String id,
            @RequestPart("image") MultipartFile image,
            @Parameter(description = "a JSON object, e.g. {\"label\":\"shoe\"}") @RequestPart(name = "metadata", required = false) String metadata,
            @Parameter(description = "refuse a copy of a stored image") @RequestParam(defaultValue = "false")
            boolean ifNoDuplicate) {
        String metadataJson = parts.metadata(metadata);
        return created(collection, id, ingest.put(collection, id, parts.bytes(image), metadataJson, ifNoDuplicate));
    }

    /** Body of a vector PUT: the client's own vector and optional metadata. */
    record VectorRequest(
            @Schema(description = "as many finite numbers as the collection's dimension",
                    requiredMode = Schema.RequiredMode.REQUIRED) float[] vector,
            @Schema(description = "a JSON object, e.g. {\"label\":\"shoe\"}") JsonNode metadata) {
    }

    @PutMapping(path = "/images/{id}", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Add or replace your own vector",
            description = "For a vector collection (created with a `dimension` and no model): JSON "
                    + "`{\"vector\":[...],\"metadata\":{...}}`. 201 when the id is new, 200 when it replaced one; "
                    + "409 `collection-embeds-images` for a collection with a model.")
    ResponseEntity<ImageResponse> putVector(@PathVariable String collection, @PathVariable String id,
            @RequestBody VectorRequest request) {
        if (request == null) {
            throw ImagesimException.invalid("body-missing", "the request body is missing");
        }
        return created(collection, id,
                ingest.putVector(collection, new VectorItem(id, request.vector(), parts.metadata(request.metadata()))));
    }

    private ResponseEntity<ImageResponse> created(String collection, String id, UpsertResult result) {
        ImageResponse body = ImageResponse.of(result.record(), json, false);
        return result.created()
                ? ResponseEntity.created(URI.create("/api/v1/collections/" + collection + "/images/" + id)).body(body)
                : ResponseEntity.ok(body);
    }

    /** Body of a vector batch: up to {@code imagesim.limits.max-images-per-request} items. */
    record VectorBatchRequest(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) List<VectorBatchItem> items) {
    }

    /** One item of a vector batch. */
    record VectorBatchItem(String id, float[] vector, JsonNode metadata) {
    }

    @PostMapping(path = "/images:batch", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Add or replace many of your own vectors",
            description = "For a vector collection: JSON `{\"items\":[{\"id\",\"vector\",\"metadata\"}, ...]}`. "
                    + "Each item is checked on its own (id, dimension, finite values) and answered per item: "
                    + "created, updated or failed with the reason; the items that pass are committed together in "
                    + "one transaction, in order (a later item with the same id wins). 409 "
                    + "`collection-embeds-images` for a collection with a model.")
    BatchResult batchVectors(@PathVariable String collection, @RequestBody VectorBatchRequest request) {
        if (request == null || request.items() == null) {
            throw ImagesimException.invalid("body-missing", "the request body must hold an items array");
        }
        limits.requireImageCount(request.items().size());
        List<VectorItem> items = new ArrayList<>(request.items().size());
        for (VectorBatchItem item : request.items()) {
            items.add(new VectorItem(item.id(), item.vector(), parts.metadata(item.metadata())));
        }
        return ingest.putVectors(collection, items);
    }

    @GetMapping(path = "/images/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Get an image's record", description = "`includeVector=true` adds the stored embedding.")
    ImageResponse get(@PathVariable String collection, @PathVariable String id,
            @RequestParam(defaultValue = "false") boolean includeVector) {
        ImageRecord record = catalog.image(collection, id);
        return ImageResponse.of(record, json, includeVector);
    }

    @DeleteMapping("/images/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Delete an image")
    void delete(@PathVariable String collection, @PathVariable String id) {
        catalog.deleteImage(collection, id);
    }

    @PostMapping(path = "/images:batch", consumes = MediaType.MULTIPART_FORM_DATA_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Add or replace many images",
            description = "Repeat the `image` part; each file's name without extension is its id. A part that is "
                    + "a zip archive is expanded, each entry's base name without extension being the id. Optional "
                    + "`metadata`: a JSON object of id → metadata object. Answers per item: created, updated or "
                    + "failed with the reason; the other items are stored.")
    BatchResult batch(@PathVariable String collection, @RequestPart("image") List<MultipartFile> image,
            @RequestPart(name = "metadata", required = false) String metadata) {
        catalog.collection(collection);
        Map<String, String> metadataById = parts.batchMetadata(metadata);
        limits.requireImageCount(image.size());
        List<Upload> files = image.stream().map(file -> new Upload(file.getOriginalFilename(), parts.bytes(file)))
                .toList();
        List<BatchItem> items = uploads.items(files, metadataById);
        return ingest.putAll(collection, items);
    }
}
