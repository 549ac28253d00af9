package dev.imagesim.embedding;

import java.awt.image.BufferedImage;
import java.util.List;

import dev.imagesim.model.ModelManifest;

/** Turns decoded images into L2-normalised embedding vectors. Implementations are thread-safe. */
public interface EmbeddingModel {

    ModelManifest manifest();

    /** One embedding per image, in the order given. */
    float[][] embed(List<BufferedImage> images);
}
