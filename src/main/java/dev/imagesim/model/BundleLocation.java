package dev.imagesim.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import ai.djl.repository.Artifact;
import ai.djl.repository.MRL;
import ai.djl.repository.Repository;

/**
 * Where a model bundle lives: a local directory, or a URL that DJL's repository layer resolves to one
 * ({@code file:} directories and zips, {@code jar:}, {@code https:} zips, {@code djl://} model-zoo
 * artifacts). Zips and remote artifacts are unpacked into the DJL cache under the data directory; remote
 * ones need {@code imagesim.engine.offline=false}.
 */
public final class BundleLocation {

    /** A URI scheme of two or more letters, so that a Windows drive letter stays a path. */
    private static final Pattern URL = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]+:.+");

    private BundleLocation() {
    }

    public static Path resolve(String location) throws IOException {
        if (!URL.matcher(location).matches()) {
            return Path.of(location).toAbsolutePath();
        }
        Repository repository = Repository.newInstance("imagesim-bundle", location);
        List<MRL> resources = repository.getResources();
        if (resources.isEmpty()) {
            throw new IOException("no model found at " + location);
        }
        Artifact artifact = resources.get(0).getDefaultArtifact();
        if (artifact == null) {
            throw new IOException("no model artifact found at " + location
                    + (Boolean.getBoolean("ai.djl.offline") ? " (offline: set imagesim.engine.offline=false)" : ""));
        }
        repository.prepare(artifact);
        Path directory = repository.getResourceDirectory(artifact);
        if (!Files.isDirectory(directory)) {
            throw new IOException(location + " did not resolve to a directory");
        }
        return directory;
    }
}
