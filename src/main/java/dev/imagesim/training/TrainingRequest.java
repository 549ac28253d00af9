package dev.imagesim.training;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.swagger.v3.oas.annotations.media.Schema;

import dev.imagesim.model.Architecture;
import dev.imagesim.training.data.Augmentation;
import dev.imagesim.training.data.DatasetSpec;
import dev.imagesim.training.objective.Noise;
import dev.imagesim.training.objective.TripletMiner;

/**
 * What a training job should do. Every field but {@code dataset} and {@code objective.type} has a default;
 * {@link TrainingPlanner} fills them in and the job keeps the filled-in request, so a model's manifest
 * records exactly how it was made.
 *
 * @param dataset      the labelled (or, for autoencoders, unlabelled) images
 * @param trunk        the network to train and where its starting weights come from
 * @param objective    the loss and its hyper-parameters
 * @param embeddingDim length of the embedding (default: the parent model's, else 128)
 * @param epochs       passes over the training split (default 5); the job installs the network of the epoch
 *                     with the best validation MAP@R (see {@link EpochReport#selectionScore})
 * @param patience     early stopping: end the job once this many epochs passed without a better selection
 *                     score (default: train every epoch)
 * @param batch        P classes × K images per batch (default 8 × 16)
 * @param learningRate Adam learning rate (default 0.001; 0.0003 for triplet loss)
 * @param schedule     how the rate changes: cosine decay to zero over the job (default) or constant
 * @param device       auto, cpu or gpu (default auto)
 * @param seed         seed of initialisation, sampling, splits and augmentation (default 42)
 * @param augmentation random flip / shift of training images, resized crops, colour jitter, blur and copy edits
 *                     (default: flip and shift by up to 2 pixels; for self-supervised jobs flip, jitter and
 *                     resized crops of 50–100% of the area below 64 pixels, of 20–100% and blur from 64 pixels
 *                     on; {@code {"flip":false,"cropPadding":0}} for none)
 * @param modelId      id for the produced model (default derived from the job)
 * @param description  description for the produced model
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(example = """
        {"dataset":{"type":"idx","path":"fashion-mnist","heldOutClasses":["8","9"]},
         "trunk":{"architecture":"cnn","inputSize":32,"channels":1,"freezeStages":0},
         "objective":{"type":"triplet","margin":0.2,"miner":"batch-hard"},
         "embeddingDim":128,"epochs":5,"batch":{"p":8,"k":16},"learningRate":0.001,"schedule":"cosine","device":"auto","seed":42}""")
public record TrainingRequest(
        DatasetSpec dataset,
        Trunk trunk,
        Objective objective,
        @Schema(example = "128") Integer embeddingDim,
        @Schema(example = "5") Integer epochs,
        @Schema(example = "2") Integer patience,
        Batch batch,
        @Schema(example = "0.001") Double learningRate,
        @Schema(example = "cosine", allowableValues = {"cosine", "constant"}) LearningRateSchedule schedule,
        @Schema(example = "auto", allowableValues = {"auto", "cpu", "gpu"}) TrainingDevice device,
        @Schema(example = "42") Long seed,
        Augmentation augmentation,
        @Schema(example = "fashion-triplet-v1") String modelId,
        String description) {

    /**
     * @param architecture           cnn, mlp, resnet18, resnet34, resnet50, vgg11 or vgg16 (default: the parent's,
     *                               else cnn)
     * @param from                   id of an installed model to start from (transfer learning), DJL-built
     *                               or TorchScript; its architecture, input size and channels are kept
     * @param freezeStages           leading trunk stages whose weights stay fixed (default 0; DJL-built
     *                               trunks only: a TorchScript module trains as a whole)
     * @param backboneLearningRateMultiplier learning-rate factor for the trunk's trainable stages (default 1,
     *                               0.1 when starting from a model)
     * @param inputSize              side of the network input in pixels (default 32 for cnn/mlp, 224 otherwise)
     * @param channels               1 (grayscale) or 3 (default 3, 1 for IDX datasets)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Trunk(
            @Schema(example = "cnn") Architecture architecture,
            @Schema(example = "default-fashion-mnist-cnn32-triplet-v2") String from,
            @Schema(example = "0") Integer freezeStages,
            @Schema(example = "0.1") Double backboneLearningRateMultiplier,
            @Schema(example = "32") Integer inputSize,
            @Schema(example = "1") Integer channels) {
    }

    /**
     * @param type       softmax, contrastive, triplet, center, autoencoder, denoising-autoencoder or
     *                   self-supervised (no labels: two augmented views of each image, NT-Xent loss on
     *                   a projection head that is dropped after training)
     * @param margin     α of the contrastive (default 0.5) and triplet (default 0.2) losses
     * @param miner      triplet mining: batch-hard (default), semi-hard or batch-all
     * @param squared    triplet loss on squared distances, or plain ones (default false)
     * @param lambda     weight λ of the center loss (default 0.01)
     * @param alpha      centre update rate α of the center loss (default 0.5)
     * @param noise      denoising corruption: gaussian (default) or masking
     * @param noiseLevel standard deviation (gaussian) or drop probability (masking), default 0.3
     * @param temperature τ of the self-supervised NT-Xent loss, in (0, 1], default 0.1
     * @param projectionHead whether the self-supervised loss reads a projection head (dropped after training)
     *                   rather than the embedding itself; default true, false with copy edits, whose copy model
     *                   matches copies by the invariance a head would take away (docs/benchmarks.md)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Objective(
            @Schema(example = "triplet") ObjectiveType type,
            @Schema(example = "0.2") Double margin,
            @Schema(example = "batch-hard") TripletMiner miner,
            Boolean squared,
            Double lambda,
            Double alpha,
            Noise noise,
            Double noiseLevel,
            @Schema(example = "0.1") Double temperature,
            Boolean projectionHead) {
    }

    /**
     * @param p classes per batch
     * @param k images per class in a batch (P × K is the batch size; autoencoders use it unlabelled)
     */
    public record Batch(@Schema(example = "8") int p, @Schema(example = "16") int k) {
    }
}
