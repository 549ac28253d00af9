package dev.imagesim.model;

import java.nio.FloatBuffer;
import java.util.stream.IntStream;

/**
 * Square 2-D max pooling of NCHW float planes, in Java, for inference. libtorch 2.5.1's CPU kernel for a
 * contiguous NCHW input ({@code cpu_max_pool}, which also computes the indices backward needs) was the
 * largest single cost of a batch: about half of the small CNN's forward pass, 130–196 ms of a ResNet
 * stem's 3×3/2 pooling at batch 32, where this takes 18 ms with the same result bit for bit (see
 * docs/performance.md). Each output row is the column-wise maximum of its window's input rows, then the
 * maximum over each window of that; the padding takes no part (as PyTorch's implicit −∞ padding), and
 * NaN wins as in PyTorch. Planes of a large input are shared out over the common fork-join pool and the
 * calling thread.
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

    /** Pools {@code planes} planes of {@code height × width} from {@code in} into {@code out}, both dense. */
    void pool(FloatBuffer in, FloatBuffer out, int planes, int height, int width) {
        int outHeight = outputSize(height);
        int outWidth = outputSize(width);
        if (outHeight < 1 || outWidth < 1) {
            throw new IllegalArgumentException("a " + height + "×" + width + " plane is smaller than the "
                    + kernel + "×" + kernel + " window");
        }
        int chunks = (long) planes * height * width < PARALLEL_FROM ? 1
                : Math.min(planes, 4 * Runtime.getRuntime().availableProcessors());
        if (chunks == 1) {
            poolPlanes(in, out, 0, planes, height, width);
        } else {
            IntStream.range(0, chunks).parallel().forEach(chunk -> poolPlanes(in, out,
                    firstPlane(chunk, planes, chunks), firstPlane(chunk + 1, planes, chunks), height, width));
        }
    }

    /** The first plane of {@code chunk} when {@code planes} planes are cut into {@code chunks} near-equal runs. */
    private static int firstPlane(int chunk, int planes, int chunks) {
        return (int) ((long) planes * chunk / chunks);
    }

    private void poolPlanes(FloatBuffer in, FloatBuffer out, int from, int to, int height, int width) {
        int outHeight = outputSize(height);
        int outWidth = outputSize(width);
        float[] columns = new float[width];
        float[] row = new float[width];
        float[] result = new float[outWidth];
        for (int plane = from; plane < to; plane++) {
            int inBase = plane * height * width;
            int outBase = plane * outHeight * outWidth;
            for (int y = 0; y < outHeight; y++) {
                int top = Math.max(0, y * stride - padding);
                int bottom = Math.min(height, y * stride - padding + kernel);
                in.get(inBase + top * width, columns, 0, width);
                for (int inputRow = top + 1; inputRow < bottom; inputRow++) {
                    in.get(inBase + inputRow * width, row, 0, width);
                    for (int x = 0; x < width; x++) {
                        columns[x] = Math.max(columns[x], row[x]);
                    }
                }
                for (int x = 0; x < outWidth; x++) {
                    int left = Math.max(0, x * stride - padding);
                    int right = Math.min(width, x * stride - padding + kernel);
                    float max = columns[left];
                    for (int column = left + 1; column < right; column++) {
                        max = Math.max(max, columns[column]);
                    }
                    result[x] = max;
                }
                out.put(outBase + y * outWidth, result, 0, outWidth);
            }
        }
    }
}
