package dev.imagesim.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;

import dev.imagesim.TestEngine;

/**
 * The trunks have the layouts of their papers: the learnable parameter counts equal torchvision's models
 * without their classifiers (ResNet: minus the 1000-way fc; VGG: minus the three fully connected layers).
 */
class TrunkFactoryTest {

    static NDManager manager;

    @BeforeAll
    static void engine() {
        TestEngine.start();
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    @ParameterizedTest
    @CsvSource({
        "RESNET18, 11176512, 512",
        "RESNET34, 21284672, 512",
        "RESNET50, 23508032, 2048",
        "VGG11, 9220480, 512",
        "VGG16, 14714688, 512",
        "CNN, 388896, 256",
        "MLP, 6423296, 256"})
    void trunkHasTheStandardLayout(Architecture architecture, long learnableParameters, int channels) {
        Block trunk = TrunkFactory.trunk(architecture);
        Shape input = new Shape(2, 3, 64, 64);
        trunk.initialize(manager, DataType.FLOAT32, input);
        long count = 0;
        for (Pair<String, Parameter> p : trunk.getParameters()) {
            if (p.getValue().requiresGradient()) {
                count += p.getValue().getArray().size();
            }
        }
        assertThat(count).isEqualTo(learnableParameters);
        try (NDManager batch = manager.newSubManager()) {
            NDArray out = trunk.forward(new ParameterStore(batch, false), new NDList(batch.ones(input)), false)
                    .singletonOrThrow();
            assertThat(out.getShape().get(0)).isEqualTo(2);
            assertThat(out.getShape().get(1)).isEqualTo(channels);
        }
    }

    /**
     * In inference a trunk keeps only its output in the caller's manager (every intermediate is freed as
     * it goes) and computes the same values as an unscoped block over the same children.
     */
    @Test
    void inferenceFreesIntermediatesAndKeepsTheValues() {
        SequentialBlock trunk = TrunkFactory.trunk(Architecture.RESNET18);
        Shape input = new Shape(2, 3, 32, 32);
        trunk.initialize(manager, DataType.FLOAT32, input);
        SequentialBlock unscoped = new SequentialBlock();
        trunk.getChildren().values().forEach(unscoped::add);
        try (NDManager batch = manager.newSubManager()) {
            NDArray x = batch.randomUniform(0, 1, input);
            NDArray scopedOut = trunk.forward(new ParameterStore(batch, false), new NDList(x), false).singletonOrThrow();
            assertThat(batch.getManagedArrays()).as("input and output only").hasSize(2);
            NDArray plainOut = unscoped.forward(new ParameterStore(batch, false), new NDList(x), false)
                    .singletonOrThrow();
            assertThat(scopedOut.allClose(plainOut, 1e-5, 1e-6, false)).isTrue();
        }
    }

    @ParameterizedTest
    @CsvSource({"RESNET18, 5", "RESNET50, 5", "VGG16, 5", "CNN, 4", "MLP, 2"})
    void trunkChildrenAreItsFreezableStages(Architecture architecture, int stages) {
        Block network = TrunkFactory.embeddingNetwork(architecture, 16);
        assertThat(TrunkFactory.trunkOf(network).getChildren().size()).isEqualTo(stages);
    }
}
