package dev.imagesim.model;

import java.util.List;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;

import dev.imagesim.model.TrunkFactory.ResidualUnit;

/**
 * Rewrites a network built by {@link TrunkFactory} for inference:
 * <ul>
 * <li>every convolution followed by a batch normalisation becomes one {@link FoldedConvolution}, and the two
 * layers' arrays are freed, as PyTorch's own inference path ({@code torch.jit.freeze}) does; measured on
 * ResNet-18 and ResNet-50 at batch 32: 5–6% less CPU time per batch;</li>
 * <li>in its channels-last twin ({@link #channelsLastTwin}), every max pooling takes channels-last
 * activations from {@link #CHANNELS_LAST_FROM} images a pass on ({@link MaxPoolBlock#channelsLast()}), so that
 * a convolutional network fed such a batch channels-last ({@link #takesChannelsLast(Model, long)}) keeps that
 * layout from end to end: libtorch's convolutions follow their input's memory format.
 * Measured in one JVM against the same network on NCHW (docs/performance.md), medians: ResNet-50 1.12×,
 * ResNet-18 1.06× and the small CNN 1.20× at 16 images a pass on a Zen 4 (at 1 and 2 images a pass 4–12%
 * slower, about even at 4), but 0.55–0.9× and wrong for the ResNets on one Zen 5 (right and 1.1–1.3× on
 * another): {@link ModelLoader} builds both over the same arrays and {@link ChannelsLastProbe} chooses.</li>
 * </ul>
 * The rest of the network is kept as it is.
 */
public final class ServingNetwork {

    /** Images in one forward pass from which a prepared network runs channels-last; fewer run NCHW. */
    public static final int CHANNELS_LAST_FROM = 8;

    /** The model property that marks a network prepared here to be fed channels-last. */
    private static final String INPUT_LAYOUT = "imagesim.inputLayout";

    private ServingNetwork() {
    }

    /**
     * Prepares a loaded network for serving, in place: a DJL-built network is folded and keeps NCHW pooling; a
     * TorchScript module is left as it is. {@link #channelsLastTwin} gives the channels-last version of either.
     */
    static void prepare(Model model, Architecture architecture) {
        if (architecture != Architecture.TORCHSCRIPT) {
            model.setBlock(prepare(model.getBlock(), model.getNDManager()));
        }
    }

    /**
     * Whether a prepared network may run channels-last: a convolutional network on the CPU. The MLP flattens its
     * input at once; on a GPU channels-last has not been measured.
     */
    static boolean mayRunChannelsLast(Model model, Architecture architecture) {
        return architecture != Architecture.MLP && model.getNDManager().getDevice().equals(Device.cpu());
    }

    /**
     * The prepared network with its max pooling channels-last ({@link MaxPoolBlock#channelsLast()}): the same
     * blocks and arrays otherwise, so both can run side by side in the model's manager; a TorchScript module is
     * its own twin (only its input's layout changes). Whoever serves it checks it with {@link ChannelsLastProbe}
     * first ({@link #serveChannelsLast}).
     */
    static Block channelsLastTwin(Block prepared) {
        if (prepared instanceof MaxPoolBlock pool) {
            return pool.channelsLast();
        }
        if (prepared instanceof ResidualUnit) {
            return new ResidualUnit(prepared.getChildren().values().stream().map(ServingNetwork::channelsLastTwin)
                    .toList());
        }
        if (!(prepared instanceof SequentialBlock)) {
            return prepared;
        }
        SequentialBlock twin = emptyLike(prepared);
        prepared.getChildren().values().forEach(child -> twin.add(channelsLastTwin(child)));
        return twin;
    }

    /** Serves the model's network as its channels-last twin, fed channels-last from {@link #CHANNELS_LAST_FROM}. */
    static void serveChannelsLast(Model model, Block twin) {
        model.setBlock(twin);
        model.setProperty(INPUT_LAYOUT, "channels-last");
    }

    /**
     * Whether the model's network should be fed a batch of {@code images} channels-last (an NCHW array whose
     * memory is NHWC): a convolutional network prepared here, and a batch large enough. Any input gives a
     * DJL-built network the right answer; this one the fast one.
     */
    public static boolean takesChannelsLast(Model model, long images) {
        return "channels-last".equals(model.getProperty(INPUT_LAYOUT)) && channelsLastFor(images);
    }

    /** Whether a prepared network runs a pass of {@code images} channels-last. */
    static boolean channelsLastFor(long images) {
        return images >= CHANNELS_LAST_FROM;
    }

    /**
     * The network with each convolution followed by a batch normalisation folded into one; {@code block} must not
     * be used afterwards. Folded arrays live in {@code manager}.
     */
    static Block prepare(Block block, NDManager manager) {
        if (block instanceof ResidualUnit) {
            return new ResidualUnit(block.getChildren().values().stream().map(child -> prepare(child, manager))
                    .toList());
        }
        if (!(block instanceof SequentialBlock)) {
            return block;
        }
        SequentialBlock prepared = emptyLike(block);
        List<Block> children = block.getChildren().values();
        for (int i = 0; i < children.size(); i++) {
            Block child = children.get(i);
            Block next = i + 1 < children.size() ? children.get(i + 1) : null;
            if (child instanceof Conv2d conv && next instanceof BatchNorm norm) {
                prepared.add(new FoldedConvolution(conv, norm, TrunkFactory.BATCH_NORM_EPSILON, manager));
                conv.getParameters().values().forEach(Parameter::close);
                norm.getParameters().values().forEach(Parameter::close);
                i++;
            } else {
                prepared.add(prepare(child, manager));
            }
        }
        return prepared;
    }

    /** An empty sequential block of the same kind (scoped or not) as {@code block}. */
    private static SequentialBlock emptyLike(Block block) {
        return block instanceof ScopedSequentialBlock ? new ScopedSequentialBlock() : new SequentialBlock();
    }
}
