package dev.imagesim.embedding;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;

import dev.imagesim.TestEngine;
import dev.imagesim.model.Architecture;
import dev.imagesim.model.TrunkFactory;

/**
 * Networks prepared for serving compute what the trained network computes in inference, with batch-norm
 * statistics far from the identity (so that a wrong scale, shift or epsilon shows), and keep no batch
 * normalisation.
 */
class ServingNetworkTest {

    @BeforeAll
    static void engine() {
        TestEngine.start();
    }

    @ParameterizedTest
    @CsvSource({"RESNET18, 32, 3, 0", "RESNET18, 224, 3, 0", "RESNET50, 32, 3, 0", "CNN, 32, 1, 0", "VGG11, 32, 3, 8",
            "MLP, 28, 1, 0"})
    void foldedNetworkGivesTheSameEmbeddings(Architecture architecture, int size, int channels, int convolutions) {
        try (NDManager model = NDManager.newBaseManager()) {
            Block network = TrunkFactory.embeddingNetwork(architecture, 16);
            int images = 3;
            Shape input = new Shape(images, channels, size, size);
            network.initialize(model, DataType.FLOAT32, input);
            randomiseStatistics(network, model);
            NDArray x = model.randomNormal(input);
            NDArray expected = forward(network, x, model);

            Block folded = ServingNetwork.fold(network, model);

            assertThat(blocks(folded)).noneMatch(BatchNorm.class::isInstance);
            assertThat(blocks(folded).stream().filter(FoldedConvolution.class::isInstance).count())
                    .isEqualTo(blocks(TrunkFactory.embeddingNetwork(architecture, 16)).stream()
                            .filter(BatchNorm.class::isInstance).count());
            if (convolutions > 0) {
                assertThat(blocks(folded).stream().filter(ai.djl.nn.convolutional.Conv2d.class::isInstance).count())
                        .as("convolutions without batch norm stay").isEqualTo(convolutions);
            }
            NDArray actual = forward(folded, x, model);
            assertThat(actual.getShape()).isEqualTo(expected.getShape());
            float scale = expected.abs().max().getFloat();
            assertThat(actual.sub(expected).abs().max().getFloat()).isLessThan(1e-4f * scale);
        }
    }

    private static NDArray forward(Block block, NDArray x, NDManager manager) {
        return block.forward(new ParameterStore(manager, false), new NDList(x), false).singletonOrThrow();
    }

    /** Running statistics and affine parameters well away from 0 and 1, as a trained network has them. */
    private static void randomiseStatistics(Block network, NDManager manager) {
        for (Pair<String, Parameter> p : network.getParameters()) {
            String name = p.getKey();
            NDArray array = p.getValue().getArray();
            if (name.endsWith("runningVar")) {
                array.set(manager.randomUniform(0.2f, 3f, array.getShape()).toFloatArray());
            } else if (name.endsWith("runningMean") || name.endsWith("beta")) {
                array.set(manager.randomNormal(array.getShape()).toFloatArray());
            } else if (name.endsWith("gamma")) {
                array.set(manager.randomUniform(0.5f, 2f, array.getShape()).toFloatArray());
            }
        }
    }

    private static List<Block> blocks(Block root) {
        List<Block> all = new ArrayList<>();
        all.add(root);
        root.getChildren().values().forEach(child -> all.addAll(blocks(child)));
        return all;
    }
}
