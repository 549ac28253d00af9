package dev.imagesim.embedding;

import java.io.IOException;
import java.util.List;

import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;

import dev.imagesim.model.Architecture;
import dev.imagesim.model.ModelBundle;
import dev.imagesim.model.ModelLoader;
import dev.imagesim.model.ScopedSequentialBlock;
import dev.imagesim.model.TrunkFactory;
import dev.imagesim.model.TrunkFactory.ResidualUnit;

/**
 * Loads a model for serving: a DJL-built network ({@link TrunkFactory}) has every convolution followed by a
 * batch normalisation folded into one {@link FoldedConvolution}, as PyTorch's own inference path
 * ({@code torch.jit.freeze}) does, and the two layers' arrays are freed; a TorchScript module is served as it
 * is. The folded network no longer has the layout of {@link TrunkFactory}'s networks, so its parameters cannot
 * be saved or copied.
 */
final class ServingNetwork {

    private ServingNetwork() {
    }

    /**
     * Loads and prepares the bundle; the caller owns (and closes) the model. Ends with one garbage collection:
     * DJL reads each parameter into a direct buffer that only a collection frees, however long ago its array
     * was closed, and folding closes the loaded convolutions and batch normalisations (a ResNet-50's 100 MB).
     * The launchers start the JVM with {@code -XX:+ExplicitGCInvokesConcurrent}, which makes it a concurrent
     * cycle instead of a pause.
     */
    static Model load(ModelLoader loader, ModelBundle bundle) throws IOException {
        Model model = loader.load(bundle);
        if (bundle.manifest().architecture() != Architecture.TORCHSCRIPT) {
            try {
                model.setBlock(fold(model.getBlock(), model.getNDManager()));
            } catch (RuntimeException e) {
                model.close();
                throw new IOException("cannot prepare model " + bundle.id() + " for serving: " + e.getMessage(), e);
            }
        }
        System.gc();
        return model;
    }

    /**
     * The network with each convolution followed by a batch normalisation folded into one; {@code block} must not
     * be used afterwards. Folded arrays live in {@code manager}.
     */
    static Block fold(Block block, NDManager manager) {
        if (block instanceof ResidualUnit) {
            return new ResidualUnit(block.getChildren().values().stream().map(child -> fold(child, manager))
                    .toList());
        }
        if (!(block instanceof SequentialBlock)) {
            return block;
        }
        SequentialBlock folded = block instanceof ScopedSequentialBlock ? new ScopedSequentialBlock()
                : new SequentialBlock();
        List<Block> children = block.getChildren().values();
        for (int i = 0; i < children.size(); i++) {
            Block child = children.get(i);
            Block next = i + 1 < children.size() ? children.get(i + 1) : null;
            if (child instanceof Conv2d conv && next instanceof BatchNorm norm) {
                folded.add(new FoldedConvolution(conv, norm, TrunkFactory.BATCH_NORM_EPSILON, manager));
                conv.getParameters().values().forEach(Parameter::close);
                norm.getParameters().values().forEach(Parameter::close);
                i++;
            } else {
                folded.add(fold(child, manager));
            }
        }
        return folded;
    }
}
