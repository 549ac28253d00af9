package dev.imagesim.api;

import java.util.List;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;

import dev.imagesim.RequestLimits;
import dev.imagesim.embedding.EmbeddingModel;
import dev.imagesim.embedding.EmbeddingModels;
import dev.imagesim.embedding.ImageDecoder;

@RestController
@RequestMapping("/api/v1/embeddings")
@Tag(name = "Embeddings", description = "Turn images into vectors")
class EmbeddingController {

    private final EmbeddingModels models;
    private final ImageDecoder decoder;
    private final RequestParts parts;
    private final RequestLimits limits;

    EmbeddingController(EmbeddingModels models, ImageDecoder decoder, RequestParts parts, RequestLimits limits) {
        this.models = models;
        this.decoder = decoder;
        this.parts = parts;
        this.limits = limits;
    }

    @PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Embed images",
            description = "Each multipart part named `image` (PNG, JPEG, GIF or BMP) becomes one L2-normalised "
                    + "vector, in the order of the parts. `model` picks a model id; default: the default model.")
    EmbeddingsResponse embed(
            @RequestPart("image") List<MultipartFile> image,
            @Parameter(description = "model id; default: the default model") @RequestParam(required = false) String model) {
        limits.requireImageCount(image.size());
        EmbeddingModel embeddingModel = models.getOrDefault(model);
        float[][] vectors = embeddingModel.embed(image.stream()
                .map(file -> decoder.decode(parts.bytes(file)).image())
                .toList());
        return new EmbeddingsResponse(embeddingModel.manifest().id(), embeddingModel.manifest().embeddingDim(),
                vectors);
    }
}
