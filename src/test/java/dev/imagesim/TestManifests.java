package dev.imagesim;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.imagesim.vector.Distance;
import dev.imagesim.model.Architecture;
import dev.imagesim.model.ModelBundle;
import dev.imagesim.model.ModelLoader;
import dev.imagesim.model.ModelManifest;

/** Model manifests for tests and benchmarks. */
public final class TestManifests {

    private TestManifests() {
    }

    /** An untrained network of {@code architecture} with seeded weights (seed 7), cosine, id {@code test-<arch>}. */
    public static ModelManifest seeded(Architecture architecture, int size, int channels, int dim) {
        float[] mean = channels == 1 ? new float[] {0.5f} : new float[] {0.5f, 0.5f, 0.5f};
        float[] std = channels == 1 ? new float[] {0.25f} : new float[] {0.25f, 0.25f, 0.25f};
        return new ModelManifest("test-" + architecture.name().toLowerCase(), "test", architecture, size, size,
                channels, mean, std, dim, Distance.COSINE, null, 7L, false, null, null, null, "test", null, null, null);
    }

    /** Writes the seeded weights of {@code seeded} into {@code directory}: the bundle as installed there. */
    public static ModelBundle installSeeded(ModelLoader loader, ModelManifest seeded, Path directory)
            throws IOException {
        Files.createDirectories(directory);
        try (OutputStream out = Files.newOutputStream(directory.resolve(ModelLoader.PARAMS_FILE))) {
            loader.writeSeededWeights(seeded, out);
        }
        return new ModelBundle(directory, seeded.installed(ModelLoader.PARAMS_FILE, null));
    }
}
