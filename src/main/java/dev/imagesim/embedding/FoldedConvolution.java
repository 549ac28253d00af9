package dev.imagesim.embedding;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A 2-D convolution followed by batch normalisation, folded into one convolution with a bias for
 * inference: with the running statistics fixed, {@code BN(W∗x) = (γ/σ·W)∗x + (β − μ·γ/σ)} where
 * {@code σ = √(var + ε)}. One pass over the activation instead of two, and one array fewer per layer.
 * Inference only: it holds plain arrays, not trainable parameters.
 */
final class FoldedConvolution extends AbstractBlock {

    private final NDArray weight;
    private final NDArray bias;
    private final Shape stride;
    private final Shape padding;
    private final Shape dilation;
    private final int groups;

    /** Folds {@code norm} (built with {@code epsilon}) into {@code conv}; the arrays live in {@code manager}. */
    FoldedConvolution(Conv2d conv, BatchNorm norm, float epsilon, NDManager manager) {
        NDArray convWeight = conv.getParameters().get("weight").getArray();
        NDList sources = new NDList(convWeight, array(norm, "gamma"), array(norm, "beta"),
                array(norm, "runningMean"), array(norm, "runningVar"));
        if (conv.isIncludeBias()) {
            sources.add(conv.getParameters().get("bias").getArray());
        }
        try (NDManager scope = manager.newSubManager()) {
            sources.tempAttach(scope);
            NDArray scale = sources.get(1).div(sources.get(4).add(epsilon).sqrt());
            NDArray shift = sources.get(2).sub(sources.get(3).mul(scale));
            this.weight = convWeight.mul(scale.reshape(scale.getShape().get(0), 1, 1, 1));
            this.bias = conv.isIncludeBias() ? shift.add(sources.get(5).mul(scale)) : shift;
            weight.attach(manager);
            bias.attach(manager);
        }
        this.stride = conv.getStride();
        this.padding = conv.getPadding();
        this.dilation = conv.getDilation();
        this.groups = conv.getGroups();
    }

    private static NDArray array(BatchNorm norm, String name) {
        Parameter parameter = norm.getParameters().get(name);
        if (parameter == null) {
            throw new IllegalArgumentException("batch normalisation without " + name + " cannot be folded");
        }
        return parameter.getArray();
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        return Conv2d.conv2d(inputs.singletonOrThrow(), weight, bias, stride, padding, dilation, groups);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        Shape in = inputs[0];
        long[] out = {in.get(0), weight.getShape().get(0), 0, 0};
        for (int d = 0; d < 2; d++) {
            long size = in.get(2 + d) + 2 * padding.get(d) - dilation.get(d) * (weight.getShape().get(2 + d) - 1) - 1;
            out[2 + d] = size / stride.get(d) + 1;
        }
        return new Shape[] {new Shape(out)};
    }
}
