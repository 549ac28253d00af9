package dev.imagesim.model;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A TorchScript trunk followed by a linear embedding head ({@link EmbeddingHead}). The trunk is loaded, never
 * initialised here; only the head is, from the trunk's output size.
 */
public final class TrunkWithHead extends AbstractBlock {

    private final Block trunk;
    private final Block head;
    private final int inputDim;

    public TrunkWithHead(Block trunk, int inputDim, int embeddingDim) {
        this.trunk = addChildBlock("trunk", trunk);
        this.head = addChildBlock("head", Linear.builder().setUnits(embeddingDim).build());
        this.inputDim = inputDim;
    }

    public Block trunk() {
        return trunk;
    }

    public Block head() {
        return head;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDList features = trunk.forward(store, inputs, training, params);
        if (!training) {
            // libtorch runs an inference pass of the module in inference mode; its output must be copied out of
            // it before it meets the head's weights, which take gradients
            features = new NDList(features.singletonOrThrow().duplicate());
        }
        return head.forward(store, features, training, params);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return head.getOutputShapes(new Shape[] {new Shape(inputShapes[0].get(0), inputDim)});
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        head.initialize(manager, dataType, new Shape(inputShapes[0].get(0), inputDim));
    }
}
