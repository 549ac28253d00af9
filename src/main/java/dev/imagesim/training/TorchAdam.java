package dev.imagesim.training;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.ParameterTracker;

/**
 * Adam exactly as {@code torch.optim.Adam} computes it (β₁ 0.9, β₂ 0.999, ε 1e-8, no weight decay):
 * θ ← θ − lr/(1−β₁ᵗ) · m / (√(v/(1−β₂ᵗ)) + ε). DJL's own Adam adds ε to √v before the bias correction
 * instead, which weighs ε up to 1/√(1−β₂ᵗ) (31.6× at the first step) heavier, so the same network, batches
 * and rate drift apart from PyTorch within a few steps ({@code TrainingParityTest}). Here the same fused
 * libtorch update runs with ε scaled by √(1−β₂ᵗ), which is the PyTorch formula rearranged.
 */
final class TorchAdam extends Optimizer {

    private static final float BETA1 = 0.9f;
    private static final float BETA2 = 0.999f;
    private static final float EPSILON = 1e-8f;

    private final ParameterTracker learningRate;
    private final Map<String, Map<Device, NDArray>> means = new ConcurrentHashMap<>();
    private final Map<String, Map<Device, NDArray>> variances = new ConcurrentHashMap<>();

    TorchAdam(ParameterTracker learningRate) {
        super(new Builder());
        this.learningRate = learningRate;
    }

    @Override
    public void update(String parameterId, NDArray weight, NDArray grad) {
        int t = updateCount(parameterId);
        double firstCorrection = 1 - Math.pow(BETA1, t);
        double secondCorrection = Math.sqrt(1 - Math.pow(BETA2, t));
        float rate = learningRate.getNewValue(parameterId, t);
        NDList state = new NDList(weight, grad,
                withDefaultState(means, parameterId, weight.getDevice(), k -> weight.zerosLike()),
                withDefaultState(variances, parameterId, weight.getDevice(), k -> weight.zerosLike()));
        weight.getNDArrayInternal().adamUpdate(state, new NDList(weight), rate,
                (float) (rate * secondCorrection / firstCorrection), 0, rescaleGrad, clipGrad, BETA1, BETA2,
                (float) (EPSILON * secondCorrection), true, false);
    }

    private static final class Builder extends OptimizerBuilder<Builder> {
        @Override
        protected Builder self() {
            return this;
        }
    }
}
