package dev.imagesim.embedding;

import java.nio.FloatBuffer;
import java.util.List;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.Batchifier;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;

/**
 * Feeds a batch of preprocessed CHW tensors to the network as one NCHW array and returns one L2-normalised
 * embedding per tensor. The batch is written straight into an engine array's memory, not made from a Java
 * array (DJL would put that in a direct buffer that only a garbage collection frees), and comes back in one
 * copy; the normalisation runs in Java, which spares DJL's stacking batchifier its native calls per image.
 * Every array lives in the predictor context's manager and is released when the call returns.
 */
final class EmbeddingTranslator implements Translator<List<float[]>, float[][]> {

    private final int channels;
    private final int size;

    EmbeddingTranslator(int channels, int size) {
        this.channels = channels;
        this.size = size;
    }

    @Override
    public NDList processInput(TranslatorContext ctx, List<float[]> tensors) {
        int length = channels * size * size;
        NDManager manager = ctx.getNDManager();
        NDArray host = manager.create(new Shape(tensors.size(), channels, size, size), DataType.FLOAT32,
                Device.cpu());
        FloatBuffer memory = host.toByteBuffer(true).asFloatBuffer();
        for (float[] tensor : tensors) {
            memory.put(tensor, 0, length);
        }
        return new NDList(host.toDevice(manager.getDevice(), false));
    }

    @Override
    public float[][] processOutput(TranslatorContext ctx, NDList list) {
        NDArray output = list.singletonOrThrow();
        int rows = Math.toIntExact(output.getShape().get(0));
        float[] values = output.toFloatArray();
        int dimension = values.length / rows;
        float[][] embeddings = new float[rows][];
        for (int r = 0; r < rows; r++) {
            embeddings[r] = normalised(values, r * dimension, dimension);
        }
        return embeddings;
    }

    private static float[] normalised(float[] values, int from, int dimension) {
        double squares = 0;
        for (int i = from; i < from + dimension; i++) {
            squares += values[i] * values[i];
        }
        float scale = (float) (1 / Math.max(Math.sqrt(squares), 1e-12));
        float[] row = new float[dimension];
        for (int i = 0; i < dimension; i++) {
            row[i] = values[from + i] * scale;
        }
        return row;
    }

    @Override
    public Batchifier getBatchifier() {
        return null;
    }
}
