package dev.imagesim.api;

import io.swagger.v3.oas.annotations.media.Schema;

import tools.jackson.databind.JsonNode;


/** JSON body of a search by raw vector or by stored id. */
@Schema(example = "{\"id\":\"red-circle\",\"k\":5,\"filter\":{\"colour\":\"red\"},\"collapseDuplicates\":true}")
record SearchRequest(
        @Schema(description = "query vector with the collection's dimension; give this or id") float[] vector,
        @Schema(description = "id of a stored image whose vector is the query; give this or vector") String id,
        @Schema(description = "neighbours to return, default 10") Integer k,
        @Schema(description = "HNSW search breadth; default: the collection's") Integer ef,
        @Schema(description = "metadata equality filter: every field must equal the image's metadata field") JsonNode filter,
        @Schema(description = "keep only the best-ranked image of each set of copies among the hits (the others "
                + "listed as its `copies`), still answering k hits where the collection has them; default false")
        Boolean collapseDuplicates,
        @Schema(description = "with collapseDuplicates: the distance within which two hits are copies; default "
                + "the collection's calibrated duplicate threshold (required for a collection of your own vectors)")
        Double duplicateThreshold) {
}
