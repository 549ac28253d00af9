package dev.imagesim.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import dev.imagesim.TestEngine;
import dev.imagesim.engine.DjlRuntime;
import dev.imagesim.vector.Distance;

/**
 * Seeded weights depend on the seed alone: not on what else draws from libtorch's process-wide generator
 * at the same time, which a service does (other jobs, models loading on request threads).
 */
class SeededInitializerTest {

    static DjlRuntime runtime;

    @BeforeAll
    static void engine() {
        runtime = TestEngine.start();
    }

    @Test
    void seededWeightsAreTheSameWhileAnotherThreadDrawsFromLibtorch() throws Exception {
        ModelLoader loader = new ModelLoader(runtime);
        byte[] alone = seededWeights(loader, 42L);

        AtomicBoolean stop = new AtomicBoolean();
        CompletableFuture<Void> other = CompletableFuture.runAsync(() -> {
            Engine engine = Engine.getEngine(runtime.engine().getEngineName());
            try (NDManager manager = NDManager.newBaseManager()) {
                for (int i = 0; !stop.get(); i++) {
                    engine.setRandomSeed(i);
                    manager.randomNormal(new Shape(64)).close();
                }
            }
        });
        try {
            for (int i = 0; i < 5; i++) {
                assertThat(seededWeights(loader, 42L)).isEqualTo(alone);
            }
        } finally {
            stop.set(true);
            other.get();
        }
        assertThat(seededWeights(loader, 43L)).isNotEqualTo(alone);
    }

    @Test
    void weightsAreHeNormal() {
        try (NDManager manager = NDManager.newBaseManager()) {
            float[] conv = new SeededInitializer(7).initialize(manager, new Shape(64, 32, 3, 3), DataType.FLOAT32)
                    .toFloatArray();
            assertThat(mean(conv)).isCloseTo(0.0, within(0.005));
            assertThat(deviation(conv)).isCloseTo(Math.sqrt(2.0 / (32 * 9)), within(0.002));
            float[] dense = new SeededInitializer(7).initialize(manager, new Shape(100, 200), DataType.FLOAT32)
                    .toFloatArray();
            assertThat(deviation(dense)).isCloseTo(Math.sqrt(2.0 / 200), within(0.002));
        }
    }

    private static byte[] seededWeights(ModelLoader loader, long seed) throws IOException {
        ModelManifest manifest = new ModelManifest("seeded", null, Architecture.RESNET18, 32, 32, 3,
                new float[] {0.5f, 0.5f, 0.5f}, new float[] {0.25f, 0.25f, 0.25f}, 32, Distance.COSINE, null, seed,
                false, null, null, Instant.now(), null, null, null, null);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        loader.writeSeededWeights(manifest, out);
        return out.toByteArray();
    }

    private static double mean(float[] values) {
        double sum = 0;
        for (float v : values) {
            sum += v;
        }
        return sum / values.length;
    }

    private static double deviation(float[] values) {
        double mean = mean(values);
        double sum = 0;
        for (float v : values) {
            sum += (v - mean) * (v - mean);
        }
        return Math.sqrt(sum / values.length);
    }
}
