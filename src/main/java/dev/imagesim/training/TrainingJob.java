package dev.imagesim.training;

import java.time.Instant;
import java.util.List;

/**
 * A training job as stored and shown.
 *
 * @param request    the request with every default filled in
 * @param progress   the latest progress, null before the first iteration
 * @param epochs     reports of finished epochs, with their evaluation
 * @param modelId    the model the job produces (installed once it succeeds)
 * @param error      why the job failed, null otherwise
 */
public record TrainingJob(String id, JobState state, TrainingRequest request, TrainingProgress progress,
        List<EpochReport> epochs, String modelId, String error, Instant createdAt, Instant startedAt,
        Instant finishedAt) {

    TrainingJob with(JobState newState, String newError, Instant finished) {
        return new TrainingJob(id, newState, request, progress, epochs, modelId, newError, createdAt, startedAt,
                finished);
    }

    TrainingJob started(Instant at) {
        return new TrainingJob(id, JobState.RUNNING, request, progress, epochs, modelId, null, createdAt, at, null);
    }

    TrainingJob progressed(TrainingProgress newProgress, List<EpochReport> newEpochs) {
        return new TrainingJob(id, state, request, newProgress, List.copyOf(newEpochs), modelId, error, createdAt,
                startedAt, finishedAt);
    }
}
