package dev.imagesim.training.objective;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;

/**
 * A stride-2 transposed convolution (kernel 4, padding 1: H×W → 2H×2W) for DJL's PyTorch engine, which does
 * not implement {@code Conv2dTranspose}. A transposed convolution equals a stride-1 convolution over the
 * input with a zero inserted between neighbouring pixels, padded by kernel − 1 − padding; the kernel is
 * the transposed one flipped, which for a learned kernel is only a relabelling of its weights.
 */
final class TransposedConvolution {

    private static final int KERNEL = 4;
    private static final int PADDING = 1;

    private TransposedConvolution() {
    }

    static Block stride2(int filters) {
        return new SequentialBlock()
                .add(LambdaBlock.singleton(TransposedConvolution::insertZeros, "insert-zeros"))
                .add(Conv2d.builder().setKernelShape(new Shape(KERNEL, KERNEL))
                        .optPadding(new Shape(KERNEL - 1 - PADDING, KERNEL - 1 - PADDING))
                        .setFilters(filters).build());
    }

    /** (B, C, H, W) → (B, C, 2H − 1, 2W − 1) with the input at even positions and zeros between. */
    static NDArray insertZeros(NDArray x) {
        return interleaveZeros(interleaveZeros(x, 3), 2);
    }

    private static NDArray interleaveZeros(NDArray x, int axis) {
        Shape shape = x.getShape();
        NDArray expanded = x.expandDims(axis + 1);
        NDArray pairs = NDArrays.concat(new ai.djl.ndarray.NDList(expanded, expanded.zerosLike()), axis + 1);
        long length = shape.get(axis);
        long[] dims = shape.getShape();
        dims[axis] = 2 * length;
        NDArray interleaved = pairs.reshape(new Shape(dims));
        String slice = axis == 2 ? ":, :, 0:%d" : ":, :, :, 0:%d";
        return interleaved.get(String.format(slice, 2 * length - 1));
    }
}
