package dev.imagesim.model;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A {@link SequentialBlock} that, when not training, frees each child's intermediate arrays as soon as the
 * child has run. Eager DJL blocks attach every intermediate result to the input's manager, which lives
 * until the batch ends, so a deep trunk would hold all its activations at once. Here each child runs in a
 * sub-manager: its output moves to the caller's manager, the rest is closed with the sub-manager, and the
 * previous child's output is closed once consumed. Nested sequential blocks do the same, so at most a
 * residual block's worth of activations is alive. Training
 * runs unscoped: autograd needs every activation until the backward pass. Parameters and their file
 * format are those of {@link SequentialBlock}.
 */
public class ScopedSequentialBlock extends SequentialBlock {

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        if (training) {
            return super.forwardInternal(parameterStore, inputs, true, params);
        }
        NDList current = inputs;
        for (Block child : getChildren().values()) {
            NDManager owner = current.head().getManager();
            NDList next;
            try (NDManager scope = owner.newSubManager()) {
                current.tempAttach(scope);
                next = child.forward(parameterStore, current, false, params);
                next.attach(owner);
            }
            if (current != inputs) {
                closeConsumed(current, next);
            }
            current = next;
        }
        return current;
    }

    /** Closes the arrays of {@code consumed} that {@code produced} does not pass on. */
    private static void closeConsumed(NDList consumed, NDList produced) {
        Set<NDArray> kept = Collections.newSetFromMap(new IdentityHashMap<>());
        kept.addAll(produced);
        for (NDArray array : consumed) {
            if (!kept.contains(array)) {
                array.close();
            }
        }
    }
}
