package dev.imagesim.api;

import java.util.List;

import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.WebRequest;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;

import tools.jackson.databind.json.JsonMapper;

import dev.imagesim.browse.Projection;
import dev.imagesim.browse.Projections;
import dev.imagesim.browse.Thumbnail;
import dev.imagesim.browse.Thumbnails;
import dev.imagesim.catalog.Catalog;
import dev.imagesim.catalog.ImagePage;
import dev.imagesim.catalog.ImageRecord;

/**
 * What a person browsing a collection needs: its images a page at a time, each image's original bytes and a
 * thumbnail (both with ETags, so a browser revalidates instead of downloading again), and a 2-D map of the
 * embeddings. The web console is built on these; they need the read scope like every GET.
 */
@RestController
@RequestMapping("/api/v1/collections/{collection}")
@Tag(name = "Browse", description = "Pages of images, originals, thumbnails and the embedding map")
class BrowseController {

    /** Revalidate every time: an id's image can be replaced, and the ETag says whether it was. */
    private static final CacheControl REVALIDATE = CacheControl.noCache().cachePrivate();

    /** A page of images and the cursor of the next page (null on the last). */
    record ImagePageResponse(List<ImageResponse> items, String next) {
    }

    private final Catalog catalog;
    private final Thumbnails thumbnails;
    private final Projections projections;
    private final JsonMapper json;

    BrowseController(Catalog catalog, Thumbnails thumbnails, Projections projections, JsonMapper json) {
        this.catalog = catalog;
        this.thumbnails = thumbnails;
        this.projections = projections;
        this.json = json;
    }

    @GetMapping(path = "/images", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "List a collection's images a page at a time",
            description = "Image records (no vectors) in id order, a stable order that new images do not "
                    + "disturb for the pages already read. `next` is the cursor of the following page, null on "
                    + "the last. 400 `limit-out-of-range` outside 1-1000, 400 `cursor-malformed`.")
    ImagePageResponse list(@PathVariable String collection,
            @Parameter(description = "images a page, 1-1000") @RequestParam(defaultValue = "50") int limit,
            @Parameter(description = "the `next` of the previous page") @RequestParam(required = false) String cursor) {
        Paging.requireLimit(limit);
        ImagePage page = catalog.images(collection, cursor == null ? null : Paging.position(cursor), limit);
        return new ImagePageResponse(page.images().stream().map(r -> ImageResponse.of(r, json, false)).toList(),
                Paging.cursor(page.next()));
    }

    @GetMapping("/images/{id}/content")
    @Operation(summary = "Get an image's original bytes",
            description = "The bytes as uploaded, with their content type and an ETag (the SHA-256); "
                    + "`If-None-Match` answers 304. 404 `image-has-no-content` for a vector stored by a client.")
    ResponseEntity<byte[]> content(@PathVariable String collection, @PathVariable String id, WebRequest request) {
        ImageRecord image = catalog.image(collection, id);
        String etag = image.blobSha256() == null ? null : "\"" + image.blobSha256() + "\"";
        if (etag != null && request.checkNotModified(etag)) {
            return null;
        }
        byte[] bytes = catalog.content(image);
        return ResponseEntity.ok().contentType(MediaType.parseMediaType(image.contentType())).eTag(etag)
                .cacheControl(REVALIDATE).body(bytes);
    }

    @GetMapping("/images/{id}/thumbnail")
    @Operation(summary = "Get a thumbnail of an image",
            description = "The image scaled to fit a square of `size` pixels (16-512, never enlarged): PNG when "
                    + "it has transparency, else JPEG; made once and cached, with an ETag. 400 "
                    + "`size-out-of-range`, 404 `image-has-no-content` for a vector stored by a client.")
    ResponseEntity<byte[]> thumbnail(@PathVariable String collection, @PathVariable String id,
            @Parameter(description = "edge of the bounding square in pixels, 16-512")
            @RequestParam(defaultValue = "128") int size, WebRequest request) {
        Thumbnail thumbnail = thumbnails.of(collection, id, size);
        if (request.checkNotModified(thumbnail.etag())) {
            return null;
        }
        return ResponseEntity.ok().contentType(MediaType.parseMediaType(thumbnail.contentType()))
                .eTag(thumbnail.etag()).cacheControl(REVALIDATE).body(thumbnail.bytes());
    }

    @GetMapping(path = "/projection", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Map a collection's embeddings to 2-D",
            description = "PCA of the stored vectors (`method`: `pca`), deterministic, computed once per state "
                    + "of the collection. Above `limit` images a fixed sample is drawn (the same ids each time). "
                    + "Each point carries the value of metadata key `labelKey` as `label` (null without one). "
                    + "`explained` is the share of the variance along x and y. 400 `limit-out-of-range` "
                    + "outside 1-20000.")
    Projection projection(@PathVariable String collection,
            @Parameter(description = "metadata key whose value labels (colours) each point")
            @RequestParam(required = false) String labelKey,
            @Parameter(description = "points at most, 1-20000") @RequestParam(defaultValue = "2000") int limit) {
        return projections.of(collection, labelKey, limit);
    }
}
