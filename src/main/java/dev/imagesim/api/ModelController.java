package dev.imagesim.api;

import java.time.Instant;
import java.util.List;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import tools.jackson.databind.JsonNode;

import dev.imagesim.ImagesimException;
import dev.imagesim.model.ModelEvaluation;
import dev.imagesim.model.ModelBundle;
import dev.imagesim.model.ModelManifest;
import dev.imagesim.model.ModelRegistry;

@RestController
@RequestMapping("/api/v1/models")
@Tag(name = "Models", description = "Installed model bundles")
class ModelController {

    /**
     * A model as the API shows it: its manifest and whether it is the default.
     *
     * @param evaluation retrieval (seen and held-out classes) and verification measured after training
     * @param training   the training request that made it, with every default filled in
     */
    record ModelResponse(String id, String description, String architecture, int inputSize, int channels,
            int embeddingDim, String distance, boolean trained, Double verificationThreshold, String parent,
            Instant createdAt, String provenance, ModelEvaluation evaluation, JsonNode training, boolean isDefault) {

        static ModelResponse of(ModelManifest m, boolean isDefault) {
            return new ModelResponse(m.id(), m.description(), m.architecture().name().toLowerCase(), m.inputSize(),
                    m.channels(), m.embeddingDim(), m.distance().wireName(), m.trained(), m.verificationThreshold(),
                    m.parent(), m.createdAt(), m.provenance(), m.evaluation(), m.training(), isDefault);
        }
    }

    private final ModelRegistry registry;

    ModelController(ModelRegistry registry) {
        this.registry = registry;
    }

    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "List models", description = "`trained: false` marks a seeded, untrained initialisation.")
    List<ModelResponse> list() {
        return registry.list().stream().map(this::view).toList();
    }

    @GetMapping(path = "/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Get a model")
    ModelResponse get(@PathVariable String id) {
        return registry.find(id).map(this::view)
                .orElseThrow(() -> ImagesimException.notFound("model-not-found", "no model with id '" + id + "'"));
    }

    private ModelResponse view(ModelBundle bundle) {
        return ModelResponse.of(bundle.manifest(), bundle.id().equals(registry.defaultBundle().id()));
    }
}
