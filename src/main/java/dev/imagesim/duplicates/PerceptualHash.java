package dev.imagesim.duplicates;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.Arrays;

/**
 * The DCT perceptual hash (pHash) of an image, 64 bits, as imagehash and pHash compute it: the image in
 * grayscale at 32×32, its 2-D DCT, the 8×8 lowest frequencies, and a bit for each of them above their median.
 * Re-encoding, resizing, small shifts and brightness changes move a few bits; other images differ in about
 * half of them. Compare two hashes by their Hamming distance ({@link #distance}).
 */
public final class PerceptualHash {

    private static final int SIZE = 32;
    private static final int LOW = 8;
    private static final double[][] COSINES = new double[LOW][SIZE];

    static {
        for (int u = 0; u < LOW; u++) {
            for (int x = 0; x < SIZE; x++) {
                COSINES[u][x] = Math.cos((2 * x + 1) * u * Math.PI / (2 * SIZE));
            }
        }
    }

    private PerceptualHash() {
    }

    public static long of(BufferedImage image) {
        double[][] pixels = grayscale(image);
        double[][] rows = new double[SIZE][LOW];
        for (int y = 0; y < SIZE; y++) {
            for (int u = 0; u < LOW; u++) {
                double sum = 0;
                for (int x = 0; x < SIZE; x++) {
                    sum += pixels[y][x] * COSINES[u][x];
                }
                rows[y][u] = sum;
            }
        }
        double[] low = new double[LOW * LOW];
        for (int v = 0; v < LOW; v++) {
            for (int u = 0; u < LOW; u++) {
                double sum = 0;
                for (int y = 0; y < SIZE; y++) {
                    sum += rows[y][u] * COSINES[v][y];
                }
                low[v * LOW + u] = sum;
            }
        }
        double[] sorted = low.clone();
        Arrays.sort(sorted);
        double median = (sorted[31] + sorted[32]) / 2;
        long hash = 0;
        for (int i = 0; i < low.length; i++) {
            if (low[i] > median) {
                hash |= 1L << i;
            }
        }
        return hash;
    }

    /** The number of bits in which two hashes differ, 0 to 64. */
    public static int distance(long a, long b) {
        return Long.bitCount(a ^ b);
    }

    private static double[][] grayscale(BufferedImage image) {
        BufferedImage small = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_INT_RGB);
        Graphics2D graphics = small.createGraphics();
        try {
            graphics.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            graphics.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            graphics.drawImage(image.getScaledInstance(SIZE, SIZE, java.awt.Image.SCALE_AREA_AVERAGING), 0, 0, null);
        } finally {
            graphics.dispose();
        }
        double[][] pixels = new double[SIZE][SIZE];
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                int rgb = small.getRGB(x, y);
                pixels[y][x] = 0.299 * (rgb >> 16 & 0xFF) + 0.587 * (rgb >> 8 & 0xFF) + 0.114 * (rgb & 0xFF);
            }
        }
        return pixels;
    }
}
