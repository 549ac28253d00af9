package dev.imagesim.api;

import org.springframework.http.MediaType;
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
import dev.imagesim.search.Similarity;
import dev.imagesim.search.SimilarityService;

@RestController
@RequestMapping("/api/v1/similarity")
@Tag(name = "Similarity", description = "Compare two images (verification)")
class SimilarityController {

    private final SimilarityService similarity;
    private final RequestParts parts;

    SimilarityController(SimilarityService similarity, RequestParts parts) {
        this.similarity = similarity;
        this.parts = parts;
    }

    @PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Compare two uploaded images",
            description = "Parts `a` and `b`; optional `model`. Answers distance, similarity and, when the model "
                    + "has a calibrated threshold, whether they match (distance ≤ threshold).")
    Similarity compareUploads(@RequestPart("a") MultipartFile a, @RequestPart("b") MultipartFile b,
            @RequestParam(required = false) String model) {
        return similarity.compareImages(model, parts.bytes(a), parts.bytes(b));
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Compare two stored images", description = "`{\"collection\",\"idA\",\"idB\"}`.")
    Similarity compareStored(@RequestBody SimilarityRequest request) {
        if (request == null || request.collection() == null || request.idA() == null || request.idB() == null) {
            throw ImagesimException.invalid("query-malformed", "collection, idA and idB are required");
        }
        return similarity.compareStored(request.collection(), request.idA(), request.idB());
    }
}
