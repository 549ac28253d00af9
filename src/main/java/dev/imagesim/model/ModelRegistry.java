package dev.imagesim.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.ClassPathResource;
import org.springframework.stereotype.Component;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import dev.imagesim.AtomicFiles;
import dev.imagesim.DataDirectory;
import dev.imagesim.Directories;
import dev.imagesim.ImagesimException;

/**
 * The model bundles the service knows: every directory with a {@code manifest.json} under
 * {@code <data-dir>/models}, plus a configured external default bundle. On first start it installs the
 * embedded default bundle there: its shipped weights, or, for a manifest that only names a seed, a seeded
 * initialisation.
 */
@Component
public class ModelRegistry {

    private static final Logger log = LoggerFactory.getLogger(ModelRegistry.class);
    private static final String EMBEDDED_DIRECTORY = "models/default/";
    private static final String EMBEDDED_DEFAULT = EMBEDDED_DIRECTORY + ModelBundle.MANIFEST_FILE;
    private static final String STAGING_PREFIX = ".staging-";
    private static final Pattern MODEL_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private final Path modelsDirectory;
    private final JsonMapper json;
    private final ModelBundle defaultBundle;

    public ModelRegistry(DataDirectory dataDirectory, ModelProperties properties, JsonMapper json,
            ModelLoader loader) {
        this.modelsDirectory = dataDirectory.subdirectory("models");
        this.json = json;
        removeStaleStaging();
        try {
            this.defaultBundle = properties.defaultBundle() != null
                    ? read(BundleLocation.resolve(properties.defaultBundle()), properties.defaultManifest())
                    : installEmbeddedDefault(loader);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the default model bundle", e);
        }
        log.info("default model {} ({}, {}-d, {})", defaultBundle.id(), defaultBundle.directory(),
                defaultBundle.manifest().embeddingDim(),
                defaultBundle.manifest().trained() ? "trained" : "untrained seeded initialisation");
    }

    public ModelBundle defaultBundle() {
        return defaultBundle;
    }

    /** The bundle with this id, if one is installed. */
    public Optional<ModelBundle> find(String id) {
        if (id == null || !MODEL_ID.matcher(id).matches()) {
            return Optional.empty();
        }
        if (id.equals(defaultBundle.id())) {
            return Optional.of(defaultBundle);
        }
        Path directory = modelsDirectory.resolve(id);
        if (!Files.isRegularFile(directory.resolve(ModelBundle.MANIFEST_FILE))) {
            return Optional.empty();
        }
        try {
            ModelBundle bundle = read(directory);
            return bundle.id().equals(id) ? Optional.of(bundle) : Optional.empty();
        } catch (IOException | IllegalArgumentException e) {
            log.warn("ignoring unreadable model bundle {}: {}", directory, e.getMessage());
            return Optional.empty();
        }
    }

    /** All readable bundles, the default first, then by id. */
    public List<ModelBundle> list() {
        List<ModelBundle> bundles = new ArrayList<>();
        bundles.add(defaultBundle);
        try (Stream<Path> directories = Files.list(modelsDirectory)) {
            directories.filter(Files::isDirectory)
                    .map(dir -> find(dir.getFileName().toString()))
                    .flatMap(Optional::stream)
                    .filter(bundle -> !bundle.id().equals(defaultBundle.id()))
                    .sorted(Comparator.comparing(ModelBundle::id))
                    .forEach(bundles::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bundles;
    }

    /**
     * Installs a new bundle: its files (weights first among them, named by file name) and manifest are written
     * into a staging directory that is renamed into place, so a crash never leaves a half-written model behind
     * a valid id.
     */
    public synchronized ModelBundle install(ModelManifest manifest, Map<String, AtomicFiles.Writer> files)
            throws IOException {
        requireFree(manifest.id(), modelsDirectory.resolve(manifest.id()));
        Path staging = newStagingDirectory();
        try {
            for (Map.Entry<String, AtomicFiles.Writer> file : files.entrySet()) {
                AtomicFiles.write(staging.resolve(file.getKey()), file.getValue());
            }
            return installStaged(staging, manifest);
        } finally {
            Directories.deleteRecursively(staging);
        }
    }

    private void requireFree(String id, Path target) {
        if (Files.exists(target) || id.equals(defaultBundle.id())) {
            throw new ImagesimException(ImagesimException.Kind.CONFLICT, "model-exists",
                    "a model with id '" + id + "' already exists");
        }
    }

    /**
     * A new empty directory beside the installed bundles, on their file system, for a bundle to be unpacked
     * and checked in before {@link #installStaged}; one left behind by a crash is removed at the next start.
     */
    public Path newStagingDirectory() throws IOException {
        return Files.createDirectories(modelsDirectory.resolve(STAGING_PREFIX + UUID.randomUUID()));
    }

    /**
     * Installs a bundle checked in a staging directory from {@link #newStagingDirectory}: writes its manifest,
     * stamped with the installation time, and renames the directory into place in one step.
     */
    public synchronized ModelBundle installStaged(Path staging, ModelManifest manifest) throws IOException {
        ModelManifest installed = manifest.installed(manifest.weights(), Instant.now()).validated();
        Path target = modelsDirectory.resolve(installed.id());
        requireFree(installed.id(), target);
        AtomicFiles.write(staging.resolve(ModelBundle.MANIFEST_FILE),
                out -> json.writerWithDefaultPrettyPrinter().writeValue(out, installed));
        Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        log.info("installed model {} in {}", installed.id(), target);
        return read(target);
    }

    /**
     * Removes an installed bundle: renamed out of the registry in one step, then deleted. The caller checks
     * that nothing uses it; the default bundle cannot be removed.
     */
    public synchronized void remove(String id) throws IOException {
        ModelBundle bundle = find(id).orElseThrow(
                () -> ImagesimException.notFound("model-not-found", "no model with id '" + id + "'"));
        if (bundle.id().equals(defaultBundle.id())) {
            throw new ImagesimException(ImagesimException.Kind.CONFLICT, "model-is-default",
                    "model '" + id + "' is the default model (imagesim.model.default-bundle) and cannot be deleted");
        }
        Path doomed = modelsDirectory.resolve(STAGING_PREFIX + "removed-" + id + "-" + UUID.randomUUID());
        Files.move(bundle.directory(), doomed, StandardCopyOption.ATOMIC_MOVE);
        Directories.deleteRecursively(doomed);
        log.info("removed model {}", id);
    }

    /** Whether a model id is free for a new bundle. */
    public boolean isFree(String id) {
        return MODEL_ID.matcher(id).matches() && !id.equals(defaultBundle.id())
                && !Files.exists(modelsDirectory.resolve(id));
    }

    private void removeStaleStaging() {
        try (Stream<Path> entries = Files.list(modelsDirectory)) {
            entries.filter(p -> p.getFileName().toString().startsWith(STAGING_PREFIX)).forEach(p -> {
                log.info("removing an unfinished model installation {}", p);
                Directories.deleteRecursively(p);
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ModelBundle read(Path directory) throws IOException {
        return read(directory, null);
    }

    /** Reads a bundle; {@code manifestFile} overrides the directory's own manifest when not null. */
    private ModelBundle read(Path directory, Path manifestFile) throws IOException {
        Path manifestPath = manifestFile != null ? manifestFile : directory.resolve(ModelBundle.MANIFEST_FILE);
        try (InputStream in = Files.newInputStream(manifestPath)) {
            ModelManifest manifest = json.readValue(in, ModelManifest.class).validated();
            ModelBundle bundle = new ModelBundle(directory, manifest);
            if (manifest.weights() == null || !Files.isRegularFile(bundle.weightsFile())) {
                throw new IOException("model bundle " + directory + " has no weights file");
            }
            return bundle;
        } catch (JacksonException e) {
            throw new IOException("malformed manifest in " + directory + ": " + e.getOriginalMessage(), e);
        }
    }

    private ModelBundle installEmbeddedDefault(ModelLoader loader) throws IOException {
        ModelManifest embedded;
        try (InputStream in = new ClassPathResource(EMBEDDED_DEFAULT).getInputStream()) {
            embedded = json.readValue(in, ModelManifest.class).validated();
        }
        Path directory = modelsDirectory.resolve(embedded.id());
        if (Files.isRegularFile(directory.resolve(ModelBundle.MANIFEST_FILE))) {
            return read(directory);
        }
        log.info("installing the embedded default model {} into {}", embedded.id(), directory);
        ModelManifest installed;
        if (embedded.weights() != null) {
            try (InputStream weights = new ClassPathResource(EMBEDDED_DIRECTORY + embedded.weights()).getInputStream()) {
                AtomicFiles.write(directory.resolve(embedded.weights()), weights::transferTo);
            }
            installed = embedded;
        } else {
            AtomicFiles.write(directory.resolve(ModelLoader.PARAMS_FILE),
                    out -> loader.writeSeededWeights(embedded, out));
            installed = embedded.installed(ModelLoader.PARAMS_FILE, Instant.now());
        }
        AtomicFiles.write(directory.resolve(ModelBundle.MANIFEST_FILE),
                out -> json.writerWithDefaultPrettyPrinter().writeValue(out, installed));
        return read(directory);
    }
}
