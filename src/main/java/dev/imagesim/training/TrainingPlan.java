package dev.imagesim.training;

import dev.imagesim.model.ModelBundle;
import dev.imagesim.model.ModelManifest;

/**
 * A validated training request with every default filled in, the manifest the produced model will carry
 * (before training results are added), and the model it starts from, if any.
 */
public record TrainingPlan(TrainingRequest request, ModelManifest manifest, ModelBundle parent) {
}
