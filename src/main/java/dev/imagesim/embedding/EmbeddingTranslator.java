package dev.imagesim.embedding;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.Batchifier;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;

/**
 * Feeds preprocessed CHW tensors to the trunk and returns L2-normalised embeddings. Batches are stacked by
 * DJL; every array lives in the predictor context's manager and is released when the call returns.
 */
final class EmbeddingTranslator implements Translator<float[], float[]> {

    private final Shape imageShape;

    EmbeddingTranslator(int channels, int size) {
        this.imageShape = new Shape(channels, size, size);
    }

    @Override
    public NDList processInput(TranslatorContext ctx, float[] tensor) {
        return new NDList(ctx.getNDManager().create(tensor, imageShape));
    }

    @Override
    public float[] processOutput(TranslatorContext ctx, NDList list) {
        NDArray embedding = list.singletonOrThrow().flatten();
        NDArray norm = embedding.norm().maximum(1e-12f);
        return embedding.div(norm).toFloatArray();
    }

    @Override
    public Batchifier getBatchifier() {
        return Batchifier.STACK;
    }

}
