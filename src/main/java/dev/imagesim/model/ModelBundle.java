package dev.imagesim.model;

import java.nio.file.Path;

/** A model bundle on disk: its directory and the manifest read from it. */
public record ModelBundle(Path directory, ModelManifest manifest) {

    public static final String MANIFEST_FILE = "manifest.json";

    public String id() {
        return manifest.id();
    }

    public Path weightsFile() {
        return directory.resolve(manifest.weights());
    }
}
