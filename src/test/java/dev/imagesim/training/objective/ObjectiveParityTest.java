package dev.imagesim.training.objective;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static dev.imagesim.training.objective.PyTorchFixtures.floats;

import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;

import tools.jackson.databind.JsonNode;

import dev.imagesim.TestEngine;

/**
 * Every objective against plain PyTorch on one P×K batch: the same embeddings (and classifier weights and
 * centres) must give the same loss, the same gradient with respect to the embedding (and the classifier),
 * and, for center loss, the same centres after the update. The fixture and the script that wrote it
 * ({@code make_parity_fixtures.py}) are in {@code src/test/resources/training/}; its losses are the ones
 * {@code bench/pytorch_train_bench.py} trains with, so the training benchmark compares like with like.
 */
class ObjectiveParityTest {

    private static final float TOLERANCE = 2e-5f;
    private static final JsonNode FIXTURE = PyTorchFixtures.read("objective-parity.json");

    @BeforeAll
    static void engine() {
        TestEngine.start();
    }

    static Stream<Arguments> cases() {
        return PyTorchFixtures.cases(FIXTURE, "name");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void lossAndGradientsMatchPyTorch(String name, JsonNode c) {
        int[] labels = ints(FIXTURE.get("labels"));
        int dimension = FIXTURE.get("dimension").asInt();
        int classes = FIXTURE.get("classes").asInt();
        Objective objective = PyTorchFixtures.objective(c.get("objective"), classes, dimension);
        if (objective instanceof CenterLossObjective center) {
            center.restoreCentres(rows(floats(c.get("centres")), classes));
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray embedding = manager.create(floats(FIXTURE.get("embedding")), new Shape(labels.length, dimension));
            embedding.setRequiresGradient(true);
            NDArray headWeight = c.has("headWeight")
                    ? manager.create(floats(c.get("headWeight")), new Shape(classes, dimension)) : null;
            if (headWeight != null) {
                headWeight.setRequiresGradient(true);
            }
            float loss;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray logits = headWeight == null ? null
                        : embedding.matMul(headWeight.transpose()).add(manager.create(floats(c.get("headBias"))));
                NDArray value = objective.loss(embedding, logits, null, labels).value();
                loss = value.getFloat();
                collector.backward(value);
            }
            assertThat(loss).as("loss").isCloseTo((float) c.get("loss").asDouble(), within(TOLERANCE));
            assertClose(embedding.getGradient().toFloatArray(), floats(c.get("embeddingGradient")),
                    "embedding gradient");
            if (headWeight != null) {
                assertClose(headWeight.getGradient().toFloatArray(), floats(c.get("headWeightGradient")),
                        "classifier gradient");
            }
        }
        if (objective instanceof CenterLossObjective center) {
            center.afterStep(rows(floats(FIXTURE.get("embedding")), labels.length), labels);
            float[] moved = new float[classes * dimension];
            for (int j = 0; j < classes; j++) {
                System.arraycopy(center.centres()[j], 0, moved, j * dimension, dimension);
            }
            assertClose(moved, floats(c.get("centresAfterStep")), "centres after the step");
        }
    }

    private static void assertClose(float[] actual, float[] expected, String what) {
        assertThat(actual).as(what).hasSameSizeAs(expected);
        float scale = 0;
        for (float e : expected) {
            scale = Math.max(scale, Math.abs(e));
        }
        for (int i = 0; i < expected.length; i++) {
            assertThat(actual[i]).as("%s [%d]", what, i).isCloseTo(expected[i], within(TOLERANCE * Math.max(1, scale)));
        }
    }

    private static float[][] rows(float[] flat, int count) {
        int width = flat.length / count;
        float[][] rows = new float[count][];
        for (int i = 0; i < count; i++) {
            rows[i] = java.util.Arrays.copyOfRange(flat, i * width, (i + 1) * width);
        }
        return rows;
    }

    private static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }
}
