package dev.imagesim.training;

import dev.imagesim.model.Architecture;
import dev.imagesim.training.TrainingRequest.Objective;
import dev.imagesim.training.objective.AutoencoderObjective;
import dev.imagesim.training.objective.CenterLossObjective;
import dev.imagesim.training.objective.ContrastiveObjective;
import dev.imagesim.training.objective.SelfSupervisedObjective;
import dev.imagesim.training.objective.SoftmaxObjective;
import dev.imagesim.training.objective.TripletObjective;

/** Builds the objective a resolved request names. */
final class ObjectiveFactory {

    private ObjectiveFactory() {
    }

    static dev.imagesim.training.objective.Objective create(TrainingRequest request, int classes) {
        Objective o = request.objective();
        int channels = request.trunk().channels();
        int size = request.trunk().inputSize();
        boolean convolutional = request.trunk().architecture() != Architecture.MLP;
        return switch (o.type()) {
            case SOFTMAX -> new SoftmaxObjective(classes);
            case CONTRASTIVE -> new ContrastiveObjective(o.margin().floatValue());
            case TRIPLET -> new TripletObjective(o.margin().floatValue(), o.miner(), o.squared());
            case CENTER -> new CenterLossObjective(classes, request.embeddingDim(), o.lambda().floatValue(),
                    o.alpha().floatValue());
            case AUTOENCODER -> new AutoencoderObjective(convolutional, channels, size, null, 0);
            case DENOISING_AUTOENCODER -> new AutoencoderObjective(convolutional, channels, size, o.noise(),
                    o.noiseLevel().floatValue());
            case SELF_SUPERVISED -> new SelfSupervisedObjective(o.temperature().floatValue(), request.embeddingDim(),
                    o.projectionHead());
        };
    }
}
