package dev.imagesim.training;

/** Receives a run's progress; called on the training thread, so implementations must be quick. */
public interface TrainingListener {

    void progress(TrainingProgress progress);

    /** An epoch finished and its checkpoint is on disk. */
    void epochFinished(EpochReport report, TrainingProgress progress);
}
