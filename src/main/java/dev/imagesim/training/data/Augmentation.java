package dev.imagesim.training.data;

import java.awt.image.BufferedImage;
import java.util.SplittableRandom;

import io.swagger.v3.oas.annotations.media.Schema;

import dev.imagesim.duplicates.CopyEdits;

/**
 * Augmentation of training images: optionally a random copy edit of the decoded image before preprocessing
 * ({@link CopyEdits#random}: crop, downscale, brightness, JPEG re-encode), then on the preprocessed tensor a
 * random horizontal flip and a random translation by up to {@code cropPadding} pixels (the "pad and random
 * crop" of CIFAR training, with edge pixels repeated into the padding).
 *
 * @param flip        flip half of the images left to right
 * @param cropPadding largest shift in pixels, 0 for none
 * @param copyEdits   edit each image as a copy of it might be (default false; true by default for
 *                    self-supervised training, whose two views of an image are two such copies)
 */
public record Augmentation(@Schema(example = "true") boolean flip, @Schema(example = "2") int cropPadding,
        @Schema(example = "false") Boolean copyEdits) {

    public static final Augmentation NONE = new Augmentation(false, 0, false);
    /** What a training job gets when it names none. */
    public static final Augmentation DEFAULT = new Augmentation(true, 2, false);
    /** What a self-supervised job gets when it names none. */
    public static final Augmentation COPIES = new Augmentation(true, 2, true);

    public Augmentation {
        copyEdits = copyEdits != null && copyEdits;
    }

    /** The image a training step sees: a random copy of it when {@code copyEdits}, else the image itself. */
    public BufferedImage edit(BufferedImage image, SplittableRandom random) {
        return copyEdits ? CopyEdits.random(image, random) : image;
    }

    /** Augments one CHW tensor in place. */
    public void apply(float[] chw, int channels, int size, SplittableRandom random) {
        boolean mirror = flip && random.nextBoolean();
        int dx = cropPadding > 0 ? random.nextInt(-cropPadding, cropPadding + 1) : 0;
        int dy = cropPadding > 0 ? random.nextInt(-cropPadding, cropPadding + 1) : 0;
        if (!mirror && dx == 0 && dy == 0) {
            return;
        }
        int plane = size * size;
        float[] source = new float[plane];
        for (int c = 0; c < channels; c++) {
            System.arraycopy(chw, c * plane, source, 0, plane);
            for (int y = 0; y < size; y++) {
                int sy = clamp(y + dy, size);
                for (int x = 0; x < size; x++) {
                    int sx = clamp((mirror ? size - 1 - x : x) + dx, size);
                    chw[c * plane + y * size + x] = source[sy * size + sx];
                }
            }
        }
    }

    private static int clamp(int v, int size) {
        return Math.max(0, Math.min(size - 1, v));
    }
}
