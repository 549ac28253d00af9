package dev.imagesim.api;

import java.time.Instant;
import java.util.List;

import dev.imagesim.training.EpochReport;
import dev.imagesim.training.JobState;
import dev.imagesim.training.TrainingJob;
import dev.imagesim.training.TrainingProgress;
import dev.imagesim.training.TrainingRequest;

/**
 * A training job as the API shows it.
 *
 * @param percent          share of training iterations done, 0–100
 * @param epoch            the epoch under way (1-based), or the last finished one
 * @param loss             mean loss of the current epoch so far
 * @param activeFraction   share of pairs/triplets with a positive loss (contrastive and triplet objectives)
 * @param samplesPerSecond training throughput
 * @param etaSeconds       estimated seconds until training ends
 * @param lossHistory      mean loss of each finished epoch
 * @param evaluation       each finished epoch's report, with retrieval on seen and held-out classes
 * @param selectedEpoch    the epoch whose network the job installs (best validation MAP@R so far), null
 *                         before the first epoch ends
 * @param modelId          the model the job produces; installed when {@code state} is succeeded
 * @param error            why the job failed or was interrupted
 * @param request          the request with every default filled in
 */
record TrainingJobResponse(String id, JobState state, double percent, int epoch, int epochs, int iteration,
        int iterationsPerEpoch, Double loss, Double activeFraction, Double samplesPerSecond, Long etaSeconds,
        List<Double> lossHistory, List<EpochReport> evaluation, Integer selectedEpoch, String modelId, String error,
        TrainingRequest request, Instant createdAt, Instant startedAt, Instant finishedAt) {

    static TrainingJobResponse of(TrainingJob job) {
        TrainingProgress p = job.progress();
        double percent = job.state() == JobState.SUCCEEDED ? 100 : p == null ? 0 : p.percent();
        return new TrainingJobResponse(job.id(), job.state(), percent, p == null ? 0 : p.epoch(),
                job.request().epochs(), p == null ? 0 : p.iteration(), p == null ? 0 : p.iterationsPerEpoch(),
                p == null ? null : p.loss(), p == null ? null : p.activeFraction(),
                p == null ? null : p.samplesPerSecond(), job.state().finished() || p == null ? null : p.etaSeconds(),
                job.epochs().stream().map(EpochReport::loss).toList(), job.epochs(),
                EpochReport.selected(job.epochs()).map(EpochReport::epoch).orElse(null), job.modelId(), job.error(),
                job.request(), job.createdAt(), job.startedAt(), job.finishedAt());
    }
}
