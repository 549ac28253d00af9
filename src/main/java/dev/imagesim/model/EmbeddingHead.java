package dev.imagesim.model;

/**
 * A linear embedding head after a TorchScript trunk, trained by fine-tuning an imported trunk to another
 * embedding size: trunk features ({@code inputDim} values) times a learned matrix plus bias give the
 * embedding. Its DJL parameters are in the bundle's {@code weights} file.
 *
 * @param inputDim the trunk's output size
 * @param weights  the head's parameter file inside the bundle
 */
public record EmbeddingHead(int inputDim, String weights) {

    public static final String FILE = "head.params";
}
