package dev.imagesim.training.data;

import java.awt.image.BufferedImage;
import java.util.List;

/** A fixed, indexed set of images, each with a class label (an index into {@link #classes()}). */
public interface ImageDataset {

    int size();

    /** Class index of image {@code index}. */
    int label(int index);

    /** Class names, in label order. */
    List<String> classes();

    /**
     * Decodes image {@code index}. Thread-safe; throws {@link dev.imagesim.ImagesimException} when the image
     * cannot be decoded.
     */
    BufferedImage image(int index);
}
