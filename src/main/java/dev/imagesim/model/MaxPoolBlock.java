package dev.imagesim.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Square 2-D max pooling that runs {@link PlaneMaxPool} in inference on the CPU, reading the input's
 * memory and writing the output's in place (no copy to or from the Java heap), and libtorch's pooling
 * when training (backward needs its indices) or off the CPU. A {@link LambdaBlock}, so that parameter
 * files keep the layout of the networks built with {@code Pool.maxPool2dBlock}.
 *
 * <p>The block pools its input in the memory layout it is told to expect: NCHW as built; in a network
 * prepared for serving ({@link #channelsLast()}, see {@link ServingNetwork}) channels-last for a batch large
 * enough for it, NCHW for a smaller one. Its output has the same layout. Fed the other layout it still gives
 * the right answer, at the cost of a copy of its input (DJL cannot tell a tensor's strides).
 */
final class MaxPoolBlock extends LambdaBlock {

    private final int kernel;
    private final int stride;
    private final int padding;
    private final boolean channelsLast;
    private final PlaneMaxPool pool;

    MaxPoolBlock(int kernel, int stride, int padding) {
        this(kernel, stride, padding, false);
    }

    private MaxPoolBlock(int kernel, int stride, int padding, boolean channelsLast) {
        super(inputs -> new NDList(Pool.maxPool2d(inputs.singletonOrThrow(), new Shape(kernel, kernel),
                new Shape(stride, stride), new Shape(padding, padding), false)), "maxPool2d");
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        this.channelsLast = channelsLast;
        this.pool = new PlaneMaxPool(kernel, stride, padding);
    }

    /**
     * The same pooling for channels-last activations (an NCHW array whose memory is NHWC) in a pass of as many
     * images as {@link ServingNetwork#channelsLastFor} says, and NCHW in a smaller one.
     */
    MaxPoolBlock channelsLast() {
        return new MaxPoolBlock(kernel, stride, padding, true);
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray input = inputs.singletonOrThrow();
        if (training || !input.getDevice().equals(Device.cpu()) || input.getDataType() != DataType.FLOAT32
                || input.getShape().dimension() != 4) {
            return super.forwardInternal(parameterStore, inputs, training, params);
        }
        Shape shape = input.getShape();
        int images = Math.toIntExact(shape.get(0));
        int channels = Math.toIntExact(shape.get(1));
        int height = Math.toIntExact(shape.get(2));
        int width = Math.toIntExact(shape.get(3));
        int outHeight = pool.outputSize(height);
        int outWidth = pool.outputSize(width);
        int threads = IntraOpThreads.onThisThread();
        if (!channelsLast || !ServingNetwork.channelsLastFor(images)) {
            NDArray output = input.getManager().create(new Shape(images, channels, outHeight, outWidth));
            pool.pool(input.toByteBuffer(true).asFloatBuffer(), output.toByteBuffer(true).asFloatBuffer(),
                    images * channels, height, width, 1, threads);
            return new NDList(output);
        }
        NDArray output = input.getManager().create(new Shape(images, outHeight, outWidth, channels));
        pool.pool(input.transpose(0, 2, 3, 1).toByteBuffer(true).asFloatBuffer(),
                output.toByteBuffer(true).asFloatBuffer(), images, height, width, channels, threads);
        return new NDList(output.transpose(0, 3, 1, 2));
    }
}
