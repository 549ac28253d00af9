package dev.imagesim.api;

import io.swagger.v3.oas.annotations.media.Schema;

/** Embeddings of the uploaded images, in the order of the parts. */
@Schema(example = "{\"model\":\"default-cnn64-untrained-v1\",\"dimension\":3,\"embeddings\":[[0.6,0.0,0.8]]}")
record EmbeddingsResponse(String model, int dimension, float[][] embeddings) {
}
