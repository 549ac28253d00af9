package dev.imagesim.api;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * Body of {@code POST /api/v1/collections}: either a collection of images embedded by a model, or, with
 * {@code dimension} and no model, a vector collection for the client's own vectors.
 */
@Schema(example = "{\"name\":\"products\",\"distance\":\"cosine\",\"index\":{\"type\":\"hnsw\",\"m\":16,\"efConstruction\":200,\"ef\":64}}")
record CollectionRequest(
        @Schema(description = "1-128 of A-Z a-z 0-9 _ -", requiredMode = Schema.RequiredMode.REQUIRED) String name,
        @Schema(description = "model id; default: the default model") String model,
        @Schema(description = "for a vector collection (your own vectors, no model): their dimension; "
                + "give no model then") Integer dimension,
        @Schema(description = "cosine or euclidean; default: the model's metric (cosine for a vector collection)", allowableValues = {"cosine", "euclidean"}) String distance,
        @Schema(description = "index settings; defaults from imagesim.index.*") IndexRequest index) {

    /** Index settings of a new collection; each field defaults from configuration. */
    record IndexRequest(
            @Schema(allowableValues = {"hnsw", "hnswlib", "exact"}, description = "hnsw (default): the service's own HNSW; "
                    + "hnswlib: the same algorithm from the hnswlib-core library, slower (docs/performance.md); "
                    + "exact: brute force") String type,
            @Schema(description = "HNSW links per node, 2-128") Integer m,
            @Schema(description = "HNSW construction breadth, 1-4096") Integer efConstruction,
            @Schema(description = "default HNSW search breadth") Integer ef) {
    }
}
