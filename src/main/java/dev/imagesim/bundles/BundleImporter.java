package dev.imagesim.bundles;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import javax.imageio.ImageIO;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

import dev.imagesim.Directories;
import dev.imagesim.ImagesimException;
import dev.imagesim.ImagesimException.Kind;
import dev.imagesim.embedding.EmbeddingModels;
import dev.imagesim.model.ModelBundle;
import dev.imagesim.model.ModelManifest;
import dev.imagesim.model.ModelProperties;
import dev.imagesim.model.ModelRegistry;

/**
 * Installs a model bundle brought in from outside (an upload, a configured source) only once it has shown that
 * it works: unpacked into a staging directory under the size limits, its manifest read strictly (an unknown
 * field is an error, every value checked), its weights of the format its architecture needs, its network
 * loaded on its own as serving loads it, and a probe image run through it — the bundle's own
 * {@code probe.png} compared with the embedding its exporter computed ({@code expected.json}), else a
 * synthetic image — giving finite vectors of the declared dimension. Then one rename installs it.
 */
@Component
public class BundleImporter {

    private static final Logger log = LoggerFactory.getLogger(BundleImporter.class);

    /** The largest difference, per component of unit vectors, between the exporter's probe embedding and ours. */
    static final float PROBE_TOLERANCE = 2e-3f;

    private final ModelRegistry registry;
    private final EmbeddingModels models;
    private final ObjectReader manifests;
    private final JsonMapper json;
    private final long maxBundleBytes;

    public BundleImporter(ModelRegistry registry, EmbeddingModels models, JsonMapper json,
            ModelProperties properties) {
        this.registry = registry;
        this.models = models;
        this.json = json;
        this.manifests = json.readerFor(ModelManifest.class).with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        this.maxBundleBytes = properties.maxBundleSize().toBytes();
    }

    /** Checks and installs the bundle zip read from {@code zip}. */
    public ModelBundle importZip(InputStream zip) {
        return staged(staging -> BundleFiles.unpack(zip, staging, maxBundleBytes), null);
    }

    /** Checks and installs the weights (and probe) in {@code directory}, described by {@code manifest}. */
    ModelBundle importDirectory(Path directory, Path manifest) {
        return staged(staging -> BundleFiles.copy(directory, staging), manifest);
    }

    private interface Filler {
        void fill(Path staging) throws IOException;
    }

    private ModelBundle staged(Filler filler, Path manifestFile) {
        Path staging = null;
        try {
            staging = registry.newStagingDirectory();
            filler.fill(staging);
            ModelManifest manifest = manifest(manifestFile != null ? manifestFile
                    : staging.resolve(ModelBundle.MANIFEST_FILE));
            ModelBundle bundle = new ModelBundle(staging, manifest);
            requireWeights(bundle);
            if (!registry.isFree(manifest.id())) {
                throw new ImagesimException(Kind.CONFLICT, "model-exists",
                        "a model with id '" + manifest.id() + "' already exists; delete it first or change the id");
            }
            probe(bundle);
            ModelBundle installed = registry.installStaged(staging, manifest);
            log.info("imported model {} ({}, {}-d)", installed.id(), manifest.architecture(),
                    manifest.embeddingDim());
            return installed;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stage a model bundle: " + e.getMessage(), e);
        } finally {
            if (staging != null) {
                Directories.deleteRecursively(staging);
            }
        }
    }

    private ModelManifest manifest(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return ((ModelManifest) manifests.readValue(in)).validated();
        } catch (JacksonException e) {
            throw new ImagesimException(Kind.UNPROCESSABLE, "manifest-invalid",
                    "manifest.json does not match the manifest schema: " + e.getOriginalMessage());
        } catch (IllegalArgumentException e) {
            throw new ImagesimException(Kind.UNPROCESSABLE, "manifest-invalid", e.getMessage());
        }
    }

    private static void requireWeights(ModelBundle bundle) throws IOException {
        ModelManifest manifest = bundle.manifest();
        String needed = switch (manifest.architecture()) {
            case TORCHSCRIPT -> ".pt";
            case ONNX -> ".onnx";
            default -> ".params";
        };
        if (manifest.weights() == null || !BundleFiles.extension(manifest.weights()).equals(needed)) {
            throw new ImagesimException(Kind.UNSUPPORTED_MEDIA, "bundle-format-unsupported", "a "
                    + manifest.architecture().name().toLowerCase() + " bundle needs its weights as a " + needed
                    + " file named by the manifest's weights field; it names " + manifest.weights());
        }
        if (!Files.isRegularFile(bundle.weightsFile())) {
            throw new ImagesimException(Kind.UNPROCESSABLE, "bundle-layout",
                    "the manifest names weights " + manifest.weights() + ", which the bundle does not hold");
        }
        try (var files = Files.list(bundle.directory())) {
            List<String> others = files.map(f -> f.getFileName().toString())
                    .filter(name -> BundleFiles.isWeights(name) && !name.equals(manifest.weights())).toList();
            if (!others.isEmpty()) {
                throw new ImagesimException(Kind.UNPROCESSABLE, "bundle-layout",
                        "the bundle holds weights the manifest does not name: " + others);
            }
        }
    }

    private void probe(ModelBundle bundle) throws IOException {
        ModelManifest manifest = bundle.manifest();
        Path image = bundle.directory().resolve(BundleFiles.PROBE_IMAGE);
        Path expectedFile = bundle.directory().resolve(BundleFiles.PROBE_EMBEDDING);
        if (Files.exists(image) != Files.exists(expectedFile)) {
            throw new ImagesimException(Kind.UNPROCESSABLE, "bundle-layout", BundleFiles.PROBE_IMAGE + " and "
                    + BundleFiles.PROBE_EMBEDDING + " come together: the probe and the embedding its exporter computed");
        }
        BufferedImage probe = Files.exists(image) ? ImageIO.read(image.toFile()) : ProbeImage.of(manifest);
        if (probe == null) {
            throw new ImagesimException(Kind.UNPROCESSABLE, "bundle-layout", "probe.png is not a PNG image");
        }
        float[] embedding = models.trial(bundle, List.of(probe), "bundle-load-failed")[0];
        if (embedding.length != manifest.embeddingDim()) {
            throw new ImagesimException(Kind.UNPROCESSABLE, "bundle-dimension-mismatch", "the network gives "
                    + embedding.length + " values for an image; the manifest declares embeddingDim "
                    + manifest.embeddingDim() + " (a trunk must end pooled and flat)");
        }
        for (float value : embedding) {
            if (!Float.isFinite(value)) {
                throw new ImagesimException(Kind.UNPROCESSABLE, "bundle-probe-mismatch",
                        "the network gives a non-finite embedding for the probe image");
            }
        }
        if (Files.exists(expectedFile)) {
            compare(embedding, expected(expectedFile));
        }
    }

    private float[] expected(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            JsonNode values = json.readTree(in).path("embedding");
            float[] out = new float[values.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = values.get(i).floatValue();
            }
            return out;
        } catch (JacksonException e) {
            throw new ImagesimException(Kind.UNPROCESSABLE, "bundle-layout",
                    "expected.json is not {\"embedding\": [...]}: " + e.getOriginalMessage());
        }
    }

    private static void compare(float[] actual, float[] expected) {
        if (expected.length != actual.length) {
            throw new ImagesimException(Kind.UNPROCESSABLE, "bundle-probe-mismatch", "expected.json holds "
                    + expected.length + " values; the network gives " + actual.length);
        }
        float difference = 0;
        for (int i = 0; i < actual.length; i++) {
            difference = Math.max(difference, Math.abs(actual[i] - expected[i]));
        }
        if (difference > PROBE_TOLERANCE) {
            throw new ImagesimException(Kind.UNPROCESSABLE, "bundle-probe-mismatch", "the probe image embeds "
                    + "differently here than where the bundle was exported (by up to " + difference + " per "
                    + "component; tolerance " + PROBE_TOLERANCE + "): check the manifest's mean, std, channels, "
                    + "inputSize and resizeSize against the exporter's preprocessing");
        }
    }
}
