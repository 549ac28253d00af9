package dev.imagesim.training.data;

import java.awt.image.BufferedImage;
import java.util.SplittableRandom;

import io.swagger.v3.oas.annotations.media.Schema;

import dev.imagesim.duplicates.CopyEdits;

/**
 * Augmentation of training images. On the decoded image, in this order and each only when asked for: a random
 * copy edit ({@link CopyEdits#random}: crop, downscale, brightness, JPEG re-encode), a random resized crop,
 * colour jitter and a blur ({@link ViewEdits}, the views of SimCLR). Then on the preprocessed tensor a random
 * horizontal flip and a random translation by up to {@code cropPadding} pixels (the "pad and random crop" of
 * CIFAR training, with edge pixels repeated into the padding).
 *
 * @param flip        flip half of the images left to right
 * @param cropPadding largest shift in pixels, 0 for none
 * @param copyEdits   edit each image as a copy of it might be (default false), which teaches a self-supervised
 *                    job what a copy is rather than what a class is
 * @param cropScale   smallest share of the image area a random resized crop keeps, in (0, 1]; null or 1 for
 *                    no resized crop (default for self-supervised jobs: 0.5 below 64 pixels, where smaller crops
 *                    leave too little of the object, and SimCLR's 0.2 from 64 pixels on; none for the others)
 * @param jitter      random brightness, contrast and saturation (probability 0.8) and, for colour images, a
 *                    grayscale view (probability 0.2); default true for self-supervised jobs
 * @param blur        a Gaussian blur in half of the images; default true for self-supervised jobs on inputs of
 *                    64 pixels or more, which a blur leaves something to see in
 */
public record Augmentation(@Schema(example = "true") boolean flip, @Schema(example = "2") int cropPadding,
        @Schema(example = "false") Boolean copyEdits, @Schema(example = "0.2") Double cropScale,
        @Schema(example = "false") Boolean jitter, @Schema(example = "false") Boolean blur) {

    public static final Augmentation NONE = new Augmentation(false, 0, false, null, false, false);
    /** What a training job gets when it names none. */
    public static final Augmentation DEFAULT = new Augmentation(true, 2, false, null, false, false);

    public Augmentation {
        copyEdits = copyEdits != null && copyEdits;
        jitter = jitter != null && jitter;
        blur = blur != null && blur;
    }

    /** What a self-supervised job gets when it names none: SimCLR's views, scaled to the input size. */
    public static Augmentation views(int inputSize) {
        boolean small = inputSize < 64;
        return new Augmentation(true, 0, false, small ? 0.5 : 0.2, true, !small);
    }

    /** The image a training step sees: the image itself, or an edited copy of it. */
    public BufferedImage edit(BufferedImage image, SplittableRandom random) {
        BufferedImage edited = copyEdits ? CopyEdits.random(image, random) : image;
        boolean cropped = cropScale != null && cropScale < 1;
        return cropped || jitter || blur
                ? ViewEdits.random(edited, random, cropped ? cropScale : 1, jitter, blur)
                : edited;
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
