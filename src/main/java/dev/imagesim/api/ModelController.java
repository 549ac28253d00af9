package dev.imagesim.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Instant;
import java.util.List;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import tools.jackson.databind.JsonNode;

import dev.imagesim.ImagesimException;
import dev.imagesim.bundles.BundleImporter;
import dev.imagesim.bundles.ModelRemoval;
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
    private final BundleImporter importer;
    private final ModelRemoval removal;

    ModelController(ModelRegistry registry, BundleImporter importer, ModelRemoval removal) {
        this.registry = registry;
        this.importer = importer;
        this.removal = removal;
    }

    @PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Import a model bundle", description = """
            Multipart part `bundle`: a zip of `manifest.json` (see docs/models.md; its `id` names the model), the
            weights it names (TorchScript `.pt` or DJL `.params`) and optionally `probe.png` with `expected.json`
            (the embedding the exporter computed for the probe; `scripts/export_trunk.py` writes both), at the top
            of the zip or in one folder. The bundle is checked before it is installed: the manifest strictly
            (422 `manifest-invalid`), the layout (422 `bundle-layout`, `bundle-unknown-file`, 400
            `zip-entry-unsafe`), the size (413 `bundle-too-large`, `zip-too-large`,
            imagesim.model.max-bundle-size), the weights format (415 `bundle-format-unsupported`), then the
            network is loaded on its own and embeds the probe (422 `bundle-load-failed`,
            `bundle-dimension-mismatch`, `bundle-probe-mismatch`). 201 with the model; 409 `model-exists`.""")
    ResponseEntity<ModelResponse> importBundle(@RequestPart(name = "bundle", required = false) MultipartFile bundle) {
        if (bundle == null || bundle.isEmpty()) {
            throw ImagesimException.invalid("bundle-missing", "send the bundle zip as the multipart part 'bundle'");
        }
        ModelBundle installed;
        try (InputStream in = bundle.getInputStream()) {
            installed = importer.importZip(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the uploaded bundle", e);
        }
        return ResponseEntity.created(URI.create("/api/v1/models/" + installed.id())).body(view(installed));
    }

    @DeleteMapping(path = "/{id}")
    @Operation(summary = "Delete a model", description = "204. 409 `model-in-use` while a collection embeds with "
            + "it, a re-index moves to it or an unfinished training job starts from it; 409 `model-is-default`.")
    ResponseEntity<Void> delete(@PathVariable String id) {
        removal.delete(id);
        return ResponseEntity.noContent().build();
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
