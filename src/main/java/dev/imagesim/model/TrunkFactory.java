package dev.imagesim.model;

import java.util.Arrays;
import java.util.List;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;

/**
 * Builds the DJL blocks of the trunk architectures followed by the embedding head (global average pool,
 * flatten, linear to the embedding dimension). L2 normalisation is applied to the head's output by the
 * embedding code, so every trunk, TorchScript ones included, is normalised in one place.
 *
 * <p>The ResNets are the ImageNet layouts of He et al. (2016): 7×7/2 stem, 3×3/2 max-pool, four stages of
 * basic (18, 34) or bottleneck (50) blocks with 64–512 base filters, projection shortcuts where shape
 * changes. DJL's model-zoo {@code ResNetV1} uses bottleneck blocks for every depth ≥ 50 and CIFAR depths at
 * small inputs, which is why they are written here. VGG keeps the convolutional configurations A (11) and
 * D (16) and replaces the 4096-wide classifier with global average pooling, the usual choice for retrieval.
 */
public final class TrunkFactory {

    /** The epsilon of every batch normalisation here (DJL's default), which folding for inference needs. */
    public static final float BATCH_NORM_EPSILON = 1e-5f;
    private static final int[] RESNET_FILTERS = {64, 128, 256, 512};
    private static final int[] MLP_UNITS = {512, 256};

    private TrunkFactory() {
    }

    /**
     * The trunk plus embedding head for a DJL-built architecture. Child 0 is the trunk, so training can
     * reach its stages; the MLP trunk already ends flat and gets no pooling.
     */
    public static SequentialBlock embeddingNetwork(Architecture architecture, int embeddingDim) {
        SequentialBlock network = new ScopedSequentialBlock().add(trunk(architecture));
        if (architecture != Architecture.MLP) {
            network.add(Pool.globalAvgPool2dBlock()).add(Blocks.batchFlattenBlock());
        }
        return network.add(Linear.builder().setUnits(embeddingDim).build());
    }

    /** The trunk of an embedding network built by {@link #embeddingNetwork}. */
    public static SequentialBlock trunkOf(Block embeddingNetwork) {
        return (SequentialBlock) embeddingNetwork.getChildren().get(0).getValue();
    }

    /**
     * The trunk alone, ending in a feature map (a flat vector for the MLP). Its children are the stages,
     * in order, that transfer learning can freeze: the stem and the four residual stages of a ResNet, the
     * five convolution groups of VGG, the four conv groups of the small CNN, the two hidden layers of the MLP.
     */
    public static SequentialBlock trunk(Architecture architecture) {
        return switch (architecture) {
            case MLP -> mlp();
            case CNN -> smallCnn();
            case RESNET18 -> resnet(new int[] {2, 2, 2, 2}, false);
            case RESNET34 -> resnet(new int[] {3, 4, 6, 3}, false);
            case RESNET50 -> resnet(new int[] {3, 4, 6, 3}, true);
            case VGG11 -> vgg(new int[][] {{64}, {128}, {256, 256}, {512, 512}, {512, 512}});
            case VGG16 -> vgg(new int[][] {{64, 64}, {128, 128}, {256, 256, 256}, {512, 512, 512}, {512, 512, 512}});
            case TORCHSCRIPT, ONNX -> throw new IllegalArgumentException("an imported trunk is loaded, not built");
        };
    }

    private static SequentialBlock mlp() {
        SequentialBlock block = new ScopedSequentialBlock();
        for (int i = 0; i < MLP_UNITS.length; i++) {
            SequentialBlock layer = i == 0 ? new ScopedSequentialBlock().add(Blocks.batchFlattenBlock()) : new ScopedSequentialBlock();
            block.add(layer.add(Linear.builder().setUnits(MLP_UNITS[i]).build()).add(Activation.reluBlock()));
        }
        return block;
    }

    private static SequentialBlock smallCnn() {
        SequentialBlock block = new ScopedSequentialBlock();
        int[] filters = {32, 64, 128, 256};
        for (int i = 0; i < filters.length; i++) {
            SequentialBlock stage = new ScopedSequentialBlock()
                    .add(conv(filters[i], 3, 1)).add(batchNorm()).add(Activation.reluBlock());
            if (i < filters.length - 1) {
                stage.add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)));
            }
            block.add(stage);
        }
        return block;
    }

    private static SequentialBlock resnet(int[] units, boolean bottleneck) {
        SequentialBlock block = new ScopedSequentialBlock().add(new ScopedSequentialBlock()
                .add(conv(64, 7, 2))
                .add(batchNorm())
                .add(Activation.reluBlock())
                .add(Pool.maxPool2dBlock(new Shape(3, 3), new Shape(2, 2), new Shape(1, 1))));
        int expansion = bottleneck ? 4 : 1;
        int inChannels = 64;
        for (int stage = 0; stage < units.length; stage++) {
            int filters = RESNET_FILTERS[stage];
            SequentialBlock residualStage = new ScopedSequentialBlock();
            for (int unit = 0; unit < units[stage]; unit++) {
                int stride = stage > 0 && unit == 0 ? 2 : 1;
                boolean project = stride != 1 || inChannels != filters * expansion;
                residualStage.add(residualUnit(filters, stride, project, bottleneck));
                inChannels = filters * expansion;
            }
            block.add(residualStage);
        }
        return block;
    }

    private static Block residualUnit(int filters, int stride, boolean project, boolean bottleneck) {
        SequentialBlock main = new ScopedSequentialBlock();
        if (bottleneck) {
            main.add(conv(filters, 1, 1)).add(batchNorm()).add(Activation.reluBlock())
                    .add(conv(filters, 3, stride)).add(batchNorm()).add(Activation.reluBlock())
                    .add(conv(filters * 4, 1, 1)).add(batchNorm());
        } else {
            main.add(conv(filters, 3, stride)).add(batchNorm()).add(Activation.reluBlock())
                    .add(conv(filters, 3, 1)).add(batchNorm());
        }
        Block shortcut = project
                ? new ScopedSequentialBlock().add(conv(filters * (bottleneck ? 4 : 1), 1, stride))
                        .add(batchNorm())
                : Blocks.identityBlock();
        return new ResidualUnit(Arrays.asList(main, shortcut));
    }

    /** A residual unit: its main branch and its shortcut, added, then ReLU. */
    public static final class ResidualUnit extends ParallelBlock {

        public ResidualUnit(List<Block> branches) {
            super(ResidualUnit::addThenRelu, branches);
        }

        private static NDList addThenRelu(List<NDList> branches) {
            return new NDList(Activation.relu(
                    branches.get(0).singletonOrThrow().add(branches.get(1).singletonOrThrow())));
        }
    }

    private static BatchNorm batchNorm() {
        return BatchNorm.builder().optEpsilon(BATCH_NORM_EPSILON).build();
    }

    private static SequentialBlock vgg(int[][] stages) {
        SequentialBlock block = new ScopedSequentialBlock();
        for (int[] stage : stages) {
            SequentialBlock group = new ScopedSequentialBlock();
            for (int filters : stage) {
                group.add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1))
                        .setFilters(filters).build()).add(Activation.reluBlock());
            }
            block.add(group.add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2))));
        }
        return block;
    }

    private static Conv2d conv(int filters, int kernel, int stride) {
        int pad = kernel / 2;
        return Conv2d.builder()
                .setKernelShape(new Shape(kernel, kernel))
                .optStride(new Shape(stride, stride))
                .optPadding(new Shape(pad, pad))
                .setFilters(filters)
                .optBias(false)
                .build();
    }
}
