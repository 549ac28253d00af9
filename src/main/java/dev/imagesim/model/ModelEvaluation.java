package dev.imagesim.model;

/**
 * How a trained model did on images it was not trained on.
 *
 * @param seenClasses    leave-one-out retrieval among validation images of the training classes
 * @param heldOutClasses leave-one-out retrieval among images of classes never trained on; null without any
 * @param verification   pair verification on the validation images (held-out ones when there is no
 *                       validation split), whose threshold the model uses for match decisions
 * @param epoch          the training epoch the model's weights come from (the one selected on validation),
 *                       null for a model not trained by the service
 */
public record ModelEvaluation(RetrievalMetrics seenClasses, RetrievalMetrics heldOutClasses,
        VerificationMetrics verification, Integer epoch) {
}
