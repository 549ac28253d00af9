package dev.imagesim.model;

import java.nio.FloatBuffer;
import java.util.stream.IntStream;

/**
 * Square 2-D max pooling of float planes, in Java, for inference: NCHW planes (one channel each) or NHWC
 * planes (one image each, its channels side by side in every pixel). libtorch 2.5.1's CPU kernel for a
 * contiguous NCHW input ({@code cpu_max_pool}, which also computes the indices backward needs) was the
 * largest single cost of a batch: about half of the small CNN's forward pass, 130–196 ms of a ResNet
 * stem's 3×3/2 pooling at batch 32, where this takes 18 ms with the same result bit for bit (see
 * docs/performance.md). Each output row is the column-wise maximum of its window's input rows, then the
 * maximum over each window of that, channel by channel; the padding takes no part (as PyTorch's implicit
 * −∞ padding), and NaN wins as in PyTorch. The output rows of a large input are shared out over the common
 * fork-join pool and the calling thread when the caller has more than one intra-op thread, as libtorch's ops on
 * that thread would be: a share of an embedding call that runs on one thread, beside the call's other shares
 * on the other cores, pools alone.
 */
final class PlaneMaxPool {

    /** Inputs smaller than this many values are pooled on the calling thread: forking costs more. */
    private static final long PARALLEL_FROM = 1 << 16;

    private final int kernel;
    private final int stride;
    private final int padding;

    PlaneMaxPool(int kernel, int stride, int padding) {
        if (kernel < 1 || stride < 1 || padding < 0 || padding > kernel / 2) {
            throw new IllegalArgumentException("max pooling needs kernel >= 1, stride >= 1 and"
                    + " 0 <= padding <= kernel / 2, not " + kernel + ", " + stride + ", " + padding);
        }
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
    }

    /** Output side for an input side, rounded down as PyTorch's default ({@code ceil_mode=false}). */
    int outputSize(int inputSize) {
        return Math.floorDiv(inputSize + 2 * padding - kernel, stride) + 1;
    }

    /**
     * Pools {@code planes} planes of {@code height × width} pixels of {@code channels} interleaved values
     * from {@code in} into {@code out}, both dense: NCHW is {@code N·C} planes of one channel, NHWC {@code N}
     * planes of {@code C}. A large input is pooled {@code threads} ways at most.
     */
    void pool(FloatBuffer in, FloatBuffer out, int planes, int height, int width, int channels, int threads) {
        int outHeight = outputSize(height);
        int outWidth = outputSize(width);
        if (outHeight < 1 || outWidth < 1) {
            throw new IllegalArgumentException("a " + height + "×" + width + " plane is smaller than the "
                    + kernel + "×" + kernel + " window");
        }
        Rows rows = new Rows(height, width, channels, outHeight, outWidth);
        int total = planes * outHeight;
        int chunks = threads <= 1 || (long) planes * height * width * channels < PARALLEL_FROM ? 1
                : Math.min(total, 4 * threads);
        if (chunks == 1) {
            poolRows(in, out, 0, total, rows);
        } else {
            IntStream.range(0, chunks).parallel().forEach(chunk -> poolRows(in, out,
                    firstRow(chunk, total, chunks), firstRow(chunk + 1, total, chunks), rows));
        }
    }

    /** The shape of one pooling, in the units the row loop needs. */
    private record Rows(int height, int width, int channels, int outHeight, int outWidth) {
    }

    /** The first output row of {@code chunk} when {@code rows} rows are cut into {@code chunks} near-equal runs. */
    private static int firstRow(int chunk, int rows, int chunks) {
        return (int) ((long) rows * chunk / chunks);
    }

    /** The maximum of columns {@code left} to {@code right} of one channel. */
    private static float windowMax(float[] columns, int left, int right) {
        float max = columns[left];
        for (int column = left + 1; column < right; column++) {
            max = Math.max(max, columns[column]);
        }
        return max;
    }

    /** The maxima of columns {@code left} to {@code right}, channel by channel, into {@code result} at {@code at}. */
    private static void windowMax(float[] columns, int left, int right, int channels, float[] result, int at) {
        System.arraycopy(columns, left * channels, result, at, channels);
        for (int column = left + 1; column < right; column++) {
            int source = column * channels;
            for (int c = 0; c < channels; c++) {
                result[at + c] = Math.max(result[at + c], columns[source + c]);
            }
        }
    }

    /** Output rows {@code from} to {@code to}, counted over all planes. */
    private void poolRows(FloatBuffer in, FloatBuffer out, int from, int to, Rows shape) {
        int channels = shape.channels();
        int rowLength = shape.width() * channels;
        int outRowLength = shape.outWidth() * channels;
        float[] columns = new float[rowLength];
        float[] row = new float[rowLength];
        float[] result = new float[outRowLength];
        for (int outRow = from; outRow < to; outRow++) {
            int plane = outRow / shape.outHeight();
            int y = outRow % shape.outHeight();
            int inBase = plane * shape.height() * rowLength;
            int top = Math.max(0, y * stride - padding);
            int bottom = Math.min(shape.height(), y * stride - padding + kernel);
            in.get(inBase + top * rowLength, columns, 0, rowLength);
            for (int inputRow = top + 1; inputRow < bottom; inputRow++) {
                in.get(inBase + inputRow * rowLength, row, 0, rowLength);
                for (int i = 0; i < rowLength; i++) {
                    columns[i] = Math.max(columns[i], row[i]);
                }
            }
            for (int x = 0; x < shape.outWidth(); x++) {
                int left = Math.max(0, x * stride - padding);
                int right = Math.min(shape.width(), x * stride - padding + kernel);
                if (channels == 1) {
                    result[x] = windowMax(columns, left, right);
                } else {
                    windowMax(columns, left, right, channels, result, x * channels);
                }
            }
            out.put(plane * shape.outHeight() * outRowLength + y * outRowLength, result, 0, outRowLength);
        }
    }
}
