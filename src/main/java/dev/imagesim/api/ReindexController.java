package dev.imagesim.api;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;

import dev.imagesim.ImagesimException;
import dev.imagesim.ingest.CollectionReindexer;
import dev.imagesim.ingest.ReindexStatus;

@RestController
@RequestMapping("/api/v1/collections/{name}/reindex")
@Tag(name = "Collections")
class ReindexController {

    /** @param model id of the installed model the collection should use from now on */
    record ReindexRequest(@Schema(example = "fashion-mnist-cnn32-triplet-v2") String model) {
    }

    private final CollectionReindexer reindexer;

    ReindexController(CollectionReindexer reindexer) {
        this.reindexer = reindexer;
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Activate a model for a collection", description = """
            Re-embeds every stored original with `model` into a new index in the background (202), then swaps
            model, vectors and index in one step. Until then searches and writes use the old model, afterwards
            the new one; no search ever mixes the two. Follow it with `GET`; 409 while one is running.""")
    ResponseEntity<ReindexStatus> start(@PathVariable String name, @RequestBody ReindexRequest request) {
        if (request == null) {
            throw ImagesimException.invalid("body-missing", "the request body is missing");
        }
        return ResponseEntity.accepted().body(reindexer.start(name, request.model()));
    }

    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Progress of the collection's latest re-index")
    ReindexStatus status(@PathVariable String name) {
        return reindexer.status(name);
    }
}
