package dev.imagesim.api;

import io.swagger.v3.oas.annotations.media.Schema;

/** JSON body of a comparison of two stored images. */
@Schema(example = "{\"collection\":\"products\",\"idA\":\"red-circle\",\"idB\":\"blue-square\"}")
record SimilarityRequest(String collection, String idA, String idB) {
}
