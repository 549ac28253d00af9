package dev.imagesim;

import dev.imagesim.index.Distance;
import dev.imagesim.model.Architecture;
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
                channels, mean, std, dim, Distance.COSINE, null, 7L, false, null, null, null, "test", null, null);
    }
}
