package dev.imagesim.training.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

import dev.imagesim.ImagesimException;

/**
 * The directory training datasets must live under. A requested path is resolved against it and refused
 * when it leaves it, by {@code ..} or by a symbolic link anywhere along the way.
 */
public final class DatasetRoot {

    private final Path root;

    public DatasetRoot(Path root) {
        try {
            Files.createDirectories(root);
            this.root = root.toRealPath();
        } catch (IOException e) {
            throw new IllegalStateException("cannot create the dataset root " + root + ": " + e.getMessage(), e);
        }
    }

    public Path path() {
        return root;
    }

    /** The existing file or directory {@code relative} names under the root. */
    public Path resolve(String relative) {
        if (relative == null || relative.isBlank()) {
            throw ImagesimException.invalid("dataset-path-invalid", "dataset.path is required");
        }
        Path requested = root.resolve(relative).normalize();
        if (!requested.startsWith(root)) {
            throw outside(relative);
        }
        if (!Files.exists(requested, LinkOption.NOFOLLOW_LINKS)) {
            throw ImagesimException.notFound("dataset-not-found",
                    "no dataset at '" + relative + "' under the dataset root " + root);
        }
        return confined(requested, relative);
    }

    /** {@code path}'s real location, refused when a link takes it outside the root. */
    public Path confined(Path path, String shownAs) {
        try {
            Path real = path.toRealPath();
            if (!real.startsWith(root)) {
                throw outside(shownAs);
            }
            return real;
        } catch (IOException e) {
            throw ImagesimException.invalid("dataset-path-invalid", "cannot resolve dataset path '" + shownAs + "'");
        }
    }

    private ImagesimException outside(String relative) {
        return ImagesimException.invalid("dataset-path-outside-root",
                "dataset path '" + relative + "' leaves the dataset root (imagesim.training.dataset-root)");
    }
}
