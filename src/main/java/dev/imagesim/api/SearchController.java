package dev.imagesim.api;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import dev.imagesim.ImagesimException;
import dev.imagesim.search.SearchResult;
import dev.imagesim.search.CollapseDuplicates;
import dev.imagesim.search.SearchService;

@RestController
@RequestMapping("/api/v1/collections/{collection}/search")
@Tag(name = "Search", description = "Nearest neighbours in a collection")
class SearchController {

    private final SearchService search;
    private final RequestParts parts;

    SearchController(SearchService search, RequestParts parts) {
        this.search = search;
        this.parts = parts;
    }

    @PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Search by image",
            description = "Multipart `image` part, embedded with the collection's model; optional `filter` part "
                    + "(JSON object); `k` (default 10), `ef`, `collapseDuplicates` and `duplicateThreshold` as "
                    + "query parameters (see the JSON search).")
    SearchResult byImage(@PathVariable String collection, @RequestPart("image") MultipartFile image,
            @RequestParam(required = false) Integer k, @RequestParam(required = false) Integer ef,
            @RequestPart(name = "filter", required = false) String filter,
            @RequestParam(required = false) Boolean collapseDuplicates,
            @RequestParam(required = false) Double duplicateThreshold) {
        return search.byImage(collection, parts.bytes(image), k, ef,
                parts.filter(filter == null || filter.isBlank() ? null : parts.object(filter, "filter")),
                CollapseDuplicates.of(collapseDuplicates, duplicateThreshold));
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Search by vector or stored id",
            description = "JSON `{\"vector\":[...]}` or `{\"id\":\"...\"}` with optional `k`, `ef`, `filter`; "
                    + "`k` and `ef` may also be query parameters (the body wins). A search by id includes the "
                    + "image itself, at distance 0. `collapseDuplicates: true` keeps only the best-ranked image of "
                    + "each set of copies among the hits (two hits are copies within `duplicateThreshold`, by "
                    + "default the collection's calibrated duplicate threshold, as the duplicate check uses) and "
                    + "lists the hidden ones under it as `copies`; it widens the search to still answer k hits. "
                    + "400 `threshold-required` for collapsing a collection of your own vectors without "
                    + "`duplicateThreshold`, `threshold-out-of-range` for a negative one.")
    SearchResult byJson(@PathVariable String collection, @RequestBody SearchRequest request,
            @RequestParam(required = false) Integer k, @RequestParam(required = false) Integer ef) {
        if (request == null || (request.vector() == null) == (request.id() == null)) {
            throw ImagesimException.invalid("query-malformed", "give exactly one of 'vector' or 'id'");
        }
        Integer kk = request.k() != null ? request.k() : k;
        Integer efOrNull = request.ef() != null ? request.ef() : ef;
        var filter = parts.filter(request.filter());
        var collapse = CollapseDuplicates.of(request.collapseDuplicates(), request.duplicateThreshold());
        return request.vector() != null
                ? search.byVector(collection, request.vector(), kk, efOrNull, filter, collapse)
                : search.byId(collection, request.id(), kk, efOrNull, filter, collapse);
    }
}
