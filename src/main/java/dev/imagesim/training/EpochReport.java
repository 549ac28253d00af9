package dev.imagesim.training;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import dev.imagesim.model.RetrievalMetrics;

/**
 * The outcome of one epoch.
 *
 * @param loss              mean training loss over the epoch
 * @param activeFraction    mean share of active pairs/triplets, null where the objective has none
 * @param seenClasses       retrieval among validation images of training classes, null without a validation split
 * @param heldOutClasses    retrieval among held-out classes, null without held-out classes
 * @param seconds           wall time of the epoch's training iterations
 * @param evaluationSeconds wall time of the epoch's evaluation
 * @param selectionScore    what the job selects its model by: the mean MAP@R of {@code seenClasses} and
 *                          {@code heldOutClasses} (either alone where the other is missing), null with neither;
 *                          minus the training loss for a self-supervised job (class retrieval does not judge it)
 */
public record EpochReport(int epoch, double loss, Double activeFraction, RetrievalMetrics seenClasses,
        RetrievalMetrics heldOutClasses, double seconds, double evaluationSeconds, Double selectionScore) {

    /** The report of an epoch that has been trained but not yet evaluated. */
    static EpochReport trained(int epoch, double loss, Double activeFraction, double seconds) {
        return new EpochReport(epoch, loss, activeFraction, null, null, seconds, 0, null);
    }

    /** This report with the epoch's evaluation, scored for model selection. */
    EpochReport evaluated(RetrievalMetrics seen, RetrievalMetrics heldOut, double evaluationSeconds) {
        return evaluated(seen, heldOut, evaluationSeconds, true);
    }

    /**
     * This report with the epoch's evaluation, scored for model selection: by class retrieval, or, when
     * {@code byClasses} is false (an objective that does not learn classes: self-supervised, or any on a
     * single class), by its training loss, lower being better. A self-supervised job can collapse in its later
     * epochs (its loss climbing back towards log(2N−1)); the loss keeps such an epoch from being installed.
     */
    EpochReport evaluated(RetrievalMetrics seen, RetrievalMetrics heldOut, double evaluationSeconds,
            boolean byClasses) {
        Double score = !byClasses ? Double.valueOf(-loss)
                : seen == null && heldOut == null ? null
                : seen == null ? heldOut.mapAtR()
                : heldOut == null ? seen.mapAtR()
                : (seen.mapAtR() + heldOut.mapAtR()) / 2;
        return new EpochReport(epoch, loss, activeFraction, seen, heldOut, seconds, evaluationSeconds, score);
    }

    /**
     * The epoch whose network a job installs: the best selection score, the earlier epoch on a tie, and the
     * last epoch when no epoch could be scored (no validation images and no held-out classes).
     */
    public static Optional<EpochReport> selected(List<EpochReport> reports) {
        Optional<EpochReport> best = reports.stream().filter(r -> r.selectionScore() != null)
                .max(Comparator.comparingDouble(EpochReport::selectionScore)
                        .thenComparing(Comparator.comparingInt(EpochReport::epoch).reversed()));
        return best.isPresent() || reports.isEmpty() ? best : Optional.of(reports.get(reports.size() - 1));
    }

    /** Whether {@code patience} epochs have passed since the selected one (early stopping); never for null. */
    static boolean stalled(List<EpochReport> reports, Integer patience) {
        return patience != null && !reports.isEmpty()
                && reports.get(reports.size() - 1).epoch() - selected(reports).orElseThrow().epoch() >= patience;
    }
}
