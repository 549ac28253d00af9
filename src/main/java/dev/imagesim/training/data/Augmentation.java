package dev.imagesim.training.data;

import java.util.SplittableRandom;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * Light augmentation applied to training images after preprocessing: a random horizontal flip and a
 * random translation by up to {@code cropPadding} pixels (the "pad and random crop" of CIFAR training,
 * with edge pixels repeated into the padding).
 *
 * @param flip        flip half of the images left to right
 * @param cropPadding largest shift in pixels, 0 for none
 */
public record Augmentation(@Schema(example = "true") boolean flip, @Schema(example = "2") int cropPadding) {

    public static final Augmentation NONE = new Augmentation(false, 0);
    /** What a training job gets when it names none. */
    public static final Augmentation DEFAULT = new Augmentation(true, 2);

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
