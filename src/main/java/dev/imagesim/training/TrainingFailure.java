package dev.imagesim.training;

/** A training job cannot go on; the message is shown to the user as the job's error. */
public class TrainingFailure extends RuntimeException {

    public TrainingFailure(String message) {
        super(message);
    }
}
