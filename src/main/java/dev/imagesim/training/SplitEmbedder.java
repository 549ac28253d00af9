package dev.imagesim.training;

import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Map;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;

import dev.imagesim.training.data.TensorBatches;

/**
 * Embeds dataset images with the network under training, in inference mode (batch-norm running
 * statistics) and L2-normalised, exactly as the service will embed them once the model is installed.
 * Results are kept per index array until the weights change ({@link #weightsChanged}), so an epoch's
 * retrieval and the final verification embed each split once.
 */
final class SplitEmbedder {

    private static final int BATCH = 128;

    private final Block embedding;
    private final TensorBatches tensors;
    private final NDManager manager;
    private final Shape imageShape;
    private final Map<int[], float[][]> cache = new IdentityHashMap<>();

    SplitEmbedder(Block embedding, TensorBatches tensors, NDManager manager, int channels, int size) {
        this.embedding = embedding;
        this.tensors = tensors;
        this.manager = manager;
        this.imageShape = new Shape(channels, size, size);
    }

    /** Forgets embeddings made with earlier weights; call after every training step or epoch. */
    void weightsChanged() {
        cache.clear();
    }

    float[][] embed(int[] indices) {
        return cache.computeIfAbsent(indices, this::compute);
    }

    private float[][] compute(int[] indices) {
        float[][] out = new float[indices.length][];
        for (int start = 0; start < indices.length; start += BATCH) {
            int[] chunk = Arrays.copyOfRange(indices, start, Math.min(indices.length, start + BATCH));
            try (NDManager batch = manager.newSubManager()) {
                NDArray input = batch.create(tensors.plain(chunk),
                        new Shape(chunk.length, imageShape.get(0), imageShape.get(1), imageShape.get(2)));
                NDArray e = embedding.forward(new ParameterStore(batch, false), new NDList(input), false)
                        .singletonOrThrow();
                NDArray norms = e.norm(new int[] {1}, true).maximum(1e-12f);
                float[] flat = e.div(norms).toFloatArray();
                int dim = flat.length / chunk.length;
                for (int i = 0; i < chunk.length; i++) {
                    out[start + i] = Arrays.copyOfRange(flat, i * dim, (i + 1) * dim);
                }
            }
        }
        return out;
    }
}
