package dev.imagesim.model;

import java.time.Instant;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonInclude;

import tools.jackson.databind.JsonNode;

import dev.imagesim.vector.Distance;

/**
 * The JSON manifest ({@code manifest.json}) of a model bundle: how to feed the trunk, what it returns,
 * and where it came from.
 *
 * @param id                    stable model id, also the bundle's directory name
 * @param description           free text for humans
 * @param architecture          the trunk
 * @param inputSize             side of the square crop fed to the trunk, in pixels
 * @param resizeSize            the shorter image side is resized to this before the centre crop
 * @param channels              1 (grayscale) or 3 (RGB)
 * @param mean                  per-channel mean subtracted after scaling pixels to [0, 1]
 * @param std                   per-channel standard deviation divided by after subtracting the mean
 * @param embeddingDim          length of the embedding vector
 * @param distance              metric the embedding is meant to be compared with
 * @param weights               weights file inside the bundle ({@code .params} or {@code .pt}); null until
 *                              a seeded initialisation has been written
 * @param initSeed              seed of the initial weights when the bundle was never trained
 * @param trained               whether the weights were learned; false means a seeded random initialisation
 * @param verificationThreshold distance at or below which two images count as a match; null if uncalibrated
 * @param parent                the model this one was fine-tuned from
 * @param createdAt             when the bundle was written
 * @param provenance            how the weights were made
 * @param evaluation            retrieval and verification quality measured after training, or null
 * @param training              the training request that produced the weights, or null
 * @param head                  a linear embedding head after a TorchScript trunk, or null when the trunk's
 *                              output is the embedding
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelManifest(
        String id,
        String description,
        Architecture architecture,
        int inputSize,
        int resizeSize,
        int channels,
        float[] mean,
        float[] std,
        int embeddingDim,
        Distance distance,
        String weights,
        Long initSeed,
        boolean trained,
        Double verificationThreshold,
        String parent,
        Instant createdAt,
        String provenance,
        ModelEvaluation evaluation,
        JsonNode training,
        EmbeddingHead head) {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    /** Throws {@link IllegalArgumentException} naming the first field that makes the manifest unusable. */
    public ModelManifest validated() {
        require(id != null && ID.matcher(id).matches(), "id must match " + ID.pattern());
        require(architecture != null, "architecture is required");
        require(channels == 1 || channels == 3, "channels must be 1 or 3");
        require(inputSize >= architecture.minInputSize() && inputSize <= 1024,
                "inputSize must be in [" + architecture.minInputSize() + ", 1024] for " + architecture);
        require(resizeSize >= inputSize && resizeSize <= 2048, "resizeSize must be in [inputSize, 2048]");
        require(mean != null && mean.length == channels, "mean needs one value per channel");
        require(std != null && std.length == channels, "std needs one value per channel");
        for (float s : std) {
            require(s > 0, "std values must be positive");
        }
        require(embeddingDim >= 1 && embeddingDim <= 65536, "embeddingDim must be in [1, 65536]");
        require(distance != null, "distance is required");
        require(weights != null || (initSeed != null && !architecture.imported()),
                "weights are required unless a seeded initialisation is described");
        require(weights == null || plainFileName(weights), "weights must be a plain file name inside the bundle");
        require(head == null || architecture == Architecture.TORCHSCRIPT, "only a torchscript trunk takes a head");
        require(head == null || (head.inputDim() >= 1 && head.inputDim() <= 65536
                && head.weights() != null && plainFileName(head.weights()) && head.weights().endsWith(".params")),
                "head needs inputDim in [1, 65536] and weights, a .params file inside the bundle");
        return this;
    }

    /** The same manifest pointing at the given weights file, stamped with its creation time. */
    public ModelManifest installed(String weightsFile, Instant created) {
        return new ModelManifest(id, description, architecture, inputSize, resizeSize, channels, mean, std,
                embeddingDim, distance, weightsFile, initSeed, trained, verificationThreshold, parent, created,
                provenance, evaluation, training, head);
    }

    /** This manifest completed with what training produced; the seed no longer describes the weights. */
    public ModelManifest withTrainingResult(ModelEvaluation result, Double threshold, String how,
            JsonNode request) {
        return new ModelManifest(id, description, architecture, inputSize, resizeSize, channels, mean, std,
                embeddingDim, distance, weights, null, true, threshold, parent, createdAt, how, result, request, head);
    }

    private static boolean plainFileName(String name) {
        return !name.contains("/") && !name.contains("\\") && !name.startsWith(".");
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException("invalid model manifest: " + message);
        }
    }
}
