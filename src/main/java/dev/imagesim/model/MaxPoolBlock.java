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
 */
final class MaxPoolBlock extends LambdaBlock {

    private final PlaneMaxPool pool;

    MaxPoolBlock(int kernel, int stride, int padding) {
        super(inputs -> new NDList(Pool.maxPool2d(inputs.singletonOrThrow(), new Shape(kernel, kernel),
                new Shape(stride, stride), new Shape(padding, padding), false)), "maxPool2d");
        this.pool = new PlaneMaxPool(kernel, stride, padding);
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
        int height = Math.toIntExact(shape.get(2));
        int width = Math.toIntExact(shape.get(3));
        NDArray output = input.getManager().create(
                new Shape(shape.get(0), shape.get(1), pool.outputSize(height), pool.outputSize(width)));
        pool.pool(input.toByteBuffer(true).asFloatBuffer(), output.toByteBuffer(true).asFloatBuffer(),
                Math.toIntExact(shape.get(0) * shape.get(1)), height, width);
        return new NDList(output);
    }
}
