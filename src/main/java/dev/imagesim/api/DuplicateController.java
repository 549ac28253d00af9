package dev.imagesim.api;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;

import dev.imagesim.duplicates.DuplicateCheck;
import dev.imagesim.duplicates.DuplicateCheckResult;

@RestController
@RequestMapping("/api/v1/collections/{collection}")
@Tag(name = "Duplicates", description = "Find copies of an image in a collection")
class DuplicateController {

    private final DuplicateCheck check;
    private final RequestParts parts;

    DuplicateController(DuplicateCheck check, RequestParts parts) {
        this.check = check;
        this.parts = parts;
    }

    @PostMapping(path = "/duplicates:check", consumes = MediaType.MULTIPART_FORM_DATA_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Check whether an image is already stored, without storing it",
            description = "Multipart part `image`. `method`: `hash` (default; a 64-bit DCT perceptual hash, "
                    + "`threshold` in Hamming bits, default 2, the best F1 of the duplicate benchmark; survives re-encoding, resizing and brightness "
                    + "changes, not crops or larger shifts), `exact` (the same bytes) or `embedding` (the "
                    + "collection's index, `threshold` a distance in its metric, required for now). Answers the "
                    + "stored duplicates nearest first as `{\"method\",\"threshold\",\"duplicates\":[{\"id\","
                    + "\"distance\"}]}`. Images stored before the service kept hashes are not seen by `hash`. "
                    + "400 `method-unknown`, `threshold-out-of-range`, `threshold-required`; 409 "
                    + "`collection-has-no-model` for `embedding` on a vector collection.")
    DuplicateCheckResult check(@PathVariable String collection, @RequestPart("image") MultipartFile image,
            @Parameter(description = "hash, exact or embedding") @RequestParam(required = false) String method,
            @Parameter(description = "bits for hash, a distance for embedding") @RequestParam(required = false)
            Double threshold) {
        return check.check(collection, parts.bytes(image), method, threshold);
    }
}
