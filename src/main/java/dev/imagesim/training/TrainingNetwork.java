package dev.imagesim.training;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The block a job trains: the embedding network (what becomes the model) and, beside it, the objective's
 * head (a classifier or a decoder, discarded after training). Its output is the embedding, then the head's
 * output when there is a head.
 */
final class TrainingNetwork extends AbstractBlock {

    private final Block embedding;
    private final Block head;

    TrainingNetwork(Block embedding, Block head) {
        this.embedding = addChildBlock("embedding", embedding);
        this.head = head == null ? null : addChildBlock("head", head);
    }

    Block embedding() {
        return embedding;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDList out = embedding.forward(store, inputs, training, params);
        if (head == null) {
            return out;
        }
        return new NDList(out.singletonOrThrow(), head.forward(store, out, training, params).singletonOrThrow());
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape[] embeddingShapes = embedding.getOutputShapes(inputShapes);
        if (head == null) {
            return embeddingShapes;
        }
        return new Shape[] {embeddingShapes[0], head.getOutputShapes(embeddingShapes)[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        embedding.initialize(manager, dataType, inputShapes);
        if (head != null) {
            head.initialize(manager, dataType, embedding.getOutputShapes(inputShapes));
        }
    }
}
