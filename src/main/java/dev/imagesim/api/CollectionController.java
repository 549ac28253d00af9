package dev.imagesim.api;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import dev.imagesim.ImagesimException;
import dev.imagesim.RequestLimits;
import dev.imagesim.catalog.Catalog;
import dev.imagesim.catalog.Collection;
import dev.imagesim.catalog.CollectionInfo;
import dev.imagesim.embedding.EmbeddingModel;
import dev.imagesim.embedding.EmbeddingModels;
import dev.imagesim.vector.Distance;
import dev.imagesim.index.IndexParameters;
import dev.imagesim.index.IndexProperties;
import dev.imagesim.index.IndexType;

@RestController
@RequestMapping("/api/v1/collections")
@Tag(name = "Collections", description = "Named sets of images, each bound to one model and one distance")
class CollectionController {

    private final Catalog catalog;
    private final EmbeddingModels models;
    private final IndexProperties indexDefaults;
    private final RequestLimits limits;

    CollectionController(Catalog catalog, EmbeddingModels models, IndexProperties indexDefaults, RequestLimits limits) {
        this.catalog = catalog;
        this.models = models;
        this.indexDefaults = indexDefaults;
        this.limits = limits;
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Create a collection", description = "Images embedded by `model` (default: the default "
            + "model), or, with `dimension` and no model, a vector collection that takes your own vectors "
            + "(`PUT .../images/{id}` with JSON `{\"vector\":[...],\"metadata\":{...}}`). 409 when the name is taken.")
    ResponseEntity<CollectionResponse> create(@RequestBody CollectionRequest request) {
        if (request == null) {
            throw ImagesimException.invalid("body-missing", "the request body is missing");
        }
        Collection created = catalog.createCollection(request.dimension() == null
                ? imageCollection(request) : vectorCollection(request));
        return ResponseEntity.created(URI.create("/api/v1/collections/" + created.name()))
                .body(CollectionResponse.of(new CollectionInfo(created, 0)));
    }

    private Collection imageCollection(CollectionRequest request) {
        EmbeddingModel model = models.getOrDefault(request.model());
        Distance distance = distance(request.distance(), model.manifest().distance());
        return new Collection(request.name(), model.manifest().id(), model.manifest().embeddingDim(), distance,
                indexParameters(request.index()), 0, Instant.now());
    }

    private Collection vectorCollection(CollectionRequest request) {
        if (request.model() != null) {
            throw ImagesimException.invalid("model-and-dimension", "give a model (its images are embedded) or a "
                    + "dimension (a vector collection for your own vectors), not both");
        }
        int dimension = request.dimension();
        if (dimension < 1 || dimension > limits.maxDimension()) {
            throw ImagesimException.invalid("invalid-dimension",
                    "dimension must be 1-" + limits.maxDimension() + " (imagesim.limits.max-dimension)");
        }
        return new Collection(request.name(), null, dimension, distance(request.distance(), Distance.COSINE),
                indexParameters(request.index()), 0, Instant.now());
    }

    private static Distance distance(String requested, Distance otherwise) {
        if (requested == null) {
            return otherwise;
        }
        Distance distance = Distance.fromWireName(requested);
        if (distance == null) {
            throw ImagesimException.invalid("invalid-distance", "distance must be 'cosine' or 'euclidean'");
        }
        return distance;
    }

    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "List collections")
    List<CollectionResponse> list() {
        return catalog.collections().stream().map(CollectionResponse::of).toList();
    }

    @GetMapping(path = "/{name}", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Get a collection")
    CollectionResponse get(@PathVariable String name) {
        return CollectionResponse.of(catalog.collectionInfo(name));
    }

    @DeleteMapping("/{name}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Delete a collection and all its images")
    void delete(@PathVariable String name) {
        catalog.deleteCollection(name);
    }

    private IndexParameters indexParameters(CollectionRequest.IndexRequest request) {
        IndexType type = IndexType.HNSW;
        if (request != null && request.type() != null) {
            try {
                type = IndexType.valueOf(request.type().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw ImagesimException.invalid("invalid-index-type", "index.type must be 'hnsw' or 'exact'");
            }
        }
        IndexParameters defaults = indexDefaults.defaults(type);
        if (request == null) {
            return defaults;
        }
        int m = within(request.m(), defaults.m(), 2, 128, "index.m");
        int efConstruction = within(request.efConstruction(), defaults.efConstruction(), 1, 4096, "index.efConstruction");
        int ef = within(request.ef(), defaults.ef(), 1, limits.maxEf(), "index.ef");
        return new IndexParameters(type, m, efConstruction, ef);
    }

    private static int within(Integer value, int fallback, int min, int max, String name) {
        if (value == null) {
            return fallback;
        }
        if (value < min || value > max) {
            throw ImagesimException.invalid("invalid-index-parameter",
                    name + " must be between " + min + " and " + max + ", was " + value);
        }
        return value;
    }
}
