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

import dev.imagesim.engine.DjlRuntime;

/**
 * Feeds a batch of preprocessed CHW tensors to the network as one NCHW array and returns one L2-normalised
 * embedding per tensor. For a convolutional network the array's memory is channels-last (NHWC, an NCHW view
 * of it), as PyTorch makes a batch stacked from HWC images: libtorch's convolutions and pooling keep that
 * layout from end to end. The batch is written straight into an engine array's memory, not made from a Java
 * array (DJL would put that in a direct buffer that only a garbage collection frees), and comes back in one
 * copy; the normalisation runs in Java, which spares DJL's stacking batchifier its native calls per image.
 * Every array lives in the predictor context's manager and is released when the call returns.
 */
final class EmbeddingTranslator implements Translator<List<float[]>, float[][]> {

    private final int channels;
    private final int size;
    private final boolean channelsLast;

    EmbeddingTranslator(int channels, int size, boolean channelsLast) {
        this.channels = channels;
        this.size = size;
        this.channelsLast = channelsLast;
    }

    @Override
    public NDList processInput(TranslatorContext ctx, List<float[]> tensors) {
        int plane = size * size;
        int length = channels * plane;
        NDManager manager = ctx.getNDManager();
        if (!manager.getEngine().getEngineName().equals(DjlRuntime.ENGINE)) {
            // another engine's arrays (ONNX Runtime's) cannot be written in place: hand it the batch as a copy
            float[] batch = new float[tensors.size() * length];
            for (int i = 0; i < tensors.size(); i++) {
                System.arraycopy(tensors.get(i), 0, batch, i * length, length);
            }
            return new NDList(manager.create(batch, new Shape(tensors.size(), channels, size, size)));
        }
        NDArray host = manager.create(channelsLast ? new Shape(tensors.size(), size, size, channels)
                : new Shape(tensors.size(), channels, size, size), DataType.FLOAT32, Device.cpu());
        FloatBuffer memory = host.toByteBuffer(true).asFloatBuffer();
        float[] interleaved = channelsLast ? new float[length] : null;
        for (float[] tensor : tensors) {
            if (channelsLast) {
                for (int c = 0; c < channels; c++) {
                    for (int p = 0, to = c; p < plane; p++, to += channels) {
                        interleaved[to] = tensor[c * plane + p];
                    }
                }
                memory.put(interleaved);
            } else {
                memory.put(tensor, 0, length);
            }
        }
        NDArray batch = host.toDevice(manager.getDevice(), false);
        return new NDList(channelsLast ? batch.transpose(0, 3, 1, 2) : batch);
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
