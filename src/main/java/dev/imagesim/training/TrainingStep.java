package dev.imagesim.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;

import dev.imagesim.training.objective.CenterLossObjective;
import dev.imagesim.training.objective.Objective;
import dev.imagesim.training.objective.ObjectiveLoss;

/**
 * One optimisation step on one batch: the network forward (on the corrupted input for a denoising
 * objective), the objective's loss, backward, the optimiser's update, then the objective's own state
 * (center loss moves its centres with the embeddings the step saw). A loss that is not finite leaves the
 * weights as they were. The batch's arrays belong to the caller, who closes them.
 */
final class TrainingStep {

    /**
     * @param loss           the batch loss before the update
     * @param activeFraction the objective's share of active pairs or triplets, NaN where it has none
     */
    record Outcome(float loss, double activeFraction) {
    }

    private final Trainer trainer;
    private final Objective objective;

    TrainingStep(Trainer trainer, Objective objective) {
        this.trainer = trainer;
        this.objective = objective;
    }

    /** The trainer's manager, under which the caller opens each batch's scope. */
    NDManager manager() {
        return trainer.getManager();
    }

    Outcome run(NDArray clean, int[] labels) {
        float[][] embedded;
        ObjectiveLoss value;
        try (GradientCollector collector = trainer.newGradientCollector()) {
            NDList out = trainer.forward(new NDList(objective.corrupt(clean)));
            value = objective.loss(out.get(0), out.size() > 1 ? out.get(1) : null, clean, labels);
            collector.backward(value.value());
            embedded = objective instanceof CenterLossObjective ? rows(out.get(0)) : null;
        }
        float loss = value.value().getFloat();
        if (Float.isFinite(loss)) {
            trainer.step();
            if (embedded != null) {
                objective.afterStep(embedded, labels);
            }
        }
        return new Outcome(loss, value.activeFraction());
    }

    private static float[][] rows(NDArray matrix) {
        int n = (int) matrix.getShape().get(0);
        float[] flat = matrix.toFloatArray();
        int dim = flat.length / n;
        float[][] rows = new float[n][];
        for (int i = 0; i < n; i++) {
            rows[i] = java.util.Arrays.copyOfRange(flat, i * dim, (i + 1) * dim);
        }
        return rows;
    }
}
