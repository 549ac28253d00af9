package dev.imagesim.training.data;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.SplittableRandom;

import dev.imagesim.embedding.Preprocessor;

/**
 * The random views of SimCLR (Chen et al. 2020) that self-supervised training compares: a random resized crop
 * (area share in [{@code minScale}, 1], aspect ratio 3:4 to 4:3, scaled back to the image's size), colour
 * jitter with probability 0.8 (brightness, contrast and saturation each ×0.6–1.4), a grayscale view with
 * probability 0.2, and a Gaussian blur with probability ½ (σ 0.1–2 pixels per 224 of the longer side). Two
 * views of one image share content but not framing or light, so a network that matches them learns what the
 * image shows.
 */
final class ViewEdits {

    private static final double MIN_LOG_RATIO = Math.log(3.0 / 4.0);
    private static final double MAX_LOG_RATIO = Math.log(4.0 / 3.0);
    private static final int CROP_TRIES = 10;

    private ViewEdits() {
    }

    static BufferedImage random(BufferedImage image, SplittableRandom random, double minScale, boolean jitter,
            boolean blur) {
        int width = image.getWidth();
        int height = image.getHeight();
        int[] rgb = pixels(image);
        if (minScale < 1) {
            BufferedImage view = resizedCrop(image(rgb, width, height), random, minScale);
            rgb = view.getRGB(0, 0, width, height, null, 0, width);
        }
        if (jitter && random.nextDouble() < 0.8) {
            jitter(rgb, random.nextDouble(0.6, 1.4), random.nextDouble(0.6, 1.4), random.nextDouble(0.6, 1.4));
        }
        if (jitter && random.nextDouble() < 0.2) {
            jitter(rgb, 1, 1, 0);
        }
        if (blur && random.nextBoolean()) {
            rgb = blurred(rgb, width, height, random.nextDouble(0.1, 2.0) * Math.max(width, height) / 224.0);
        }
        return image(rgb, width, height);
    }

    /** The image's pixels as RGB; a grey image's samples as they are, as serving reads them. */
    private static int[] pixels(BufferedImage image) {
        int width = image.getWidth();
        int height = image.getHeight();
        return image.getType() == BufferedImage.TYPE_BYTE_GRAY ? Preprocessor.greyAsRgb(image, 0, 0, width, height)
                : image.getRGB(0, 0, width, height, null, 0, width);
    }

    private static BufferedImage image(int[] rgb, int width, int height) {
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        out.setRGB(0, 0, width, height, rgb, 0, width);
        return out;
    }

    private static BufferedImage resizedCrop(BufferedImage image, SplittableRandom random, double minScale) {
        int width = image.getWidth();
        int height = image.getHeight();
        for (int i = 0; i < CROP_TRIES; i++) {
            double area = width * height * random.nextDouble(minScale, 1.0 + 1e-9);
            double ratio = Math.exp(random.nextDouble(MIN_LOG_RATIO, MAX_LOG_RATIO));
            int w = (int) Math.round(Math.sqrt(area * ratio));
            int h = (int) Math.round(Math.sqrt(area / ratio));
            if (w >= 1 && h >= 1 && w <= width && h <= height) {
                int x = random.nextInt(width - w + 1);
                int y = random.nextInt(height - h + 1);
                return scaled(image, x, y, w, h);
            }
        }
        return image;
    }

    private static BufferedImage scaled(BufferedImage image, int x, int y, int w, int h) {
        BufferedImage out = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D graphics = out.createGraphics();
        graphics.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        graphics.drawImage(image, 0, 0, out.getWidth(), out.getHeight(), x, y, x + w, y + h, null);
        graphics.dispose();
        return out;
    }

    /** Scales brightness, then contrast around the mean luma, then saturation around each pixel's luma. */
    private static void jitter(int[] rgb, double brightness, double contrast, double saturation) {
        double lumaSum = 0;
        for (int pixel : rgb) {
            lumaSum += luma(pixel) * brightness;
        }
        double mean = lumaSum / rgb.length;
        for (int i = 0; i < rgb.length; i++) {
            int pixel = rgb[i];
            double gray = (luma(pixel) * brightness - mean) * contrast + mean;
            int out = 0;
            for (int shift = 16; shift >= 0; shift -= 8) {
                double value = (((pixel >> shift) & 0xff) * brightness - mean) * contrast + mean;
                out = out << 8 | clamp(gray + (value - gray) * saturation);
            }
            rgb[i] = out;
        }
    }

    private static double luma(int pixel) {
        return 0.299 * ((pixel >> 16) & 0xff) + 0.587 * ((pixel >> 8) & 0xff) + 0.114 * (pixel & 0xff);
    }

    private static int clamp(double value) {
        return (int) Math.max(0, Math.min(255, Math.round(value)));
    }

    /** A separable Gaussian blur with edge pixels repeated. */
    private static int[] blurred(int[] rgb, int width, int height, double sigma) {
        int radius = Math.max(1, (int) Math.ceil(3 * sigma));
        double[] kernel = new double[2 * radius + 1];
        double sum = 0;
        for (int i = -radius; i <= radius; i++) {
            kernel[i + radius] = Math.exp(-i * i / (2 * sigma * sigma));
            sum += kernel[i + radius];
        }
        for (int i = 0; i < kernel.length; i++) {
            kernel[i] /= sum;
        }
        return pass(pass(rgb, width, height, kernel, true), width, height, kernel, false);
    }

    private static int[] pass(int[] rgb, int width, int height, double[] kernel, boolean horizontal) {
        int radius = kernel.length / 2;
        int[] out = new int[rgb.length];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double r = 0;
                double g = 0;
                double b = 0;
                for (int k = -radius; k <= radius; k++) {
                    int sx = horizontal ? Math.max(0, Math.min(width - 1, x + k)) : x;
                    int sy = horizontal ? y : Math.max(0, Math.min(height - 1, y + k));
                    int pixel = rgb[sy * width + sx];
                    double weight = kernel[k + radius];
                    r += ((pixel >> 16) & 0xff) * weight;
                    g += ((pixel >> 8) & 0xff) * weight;
                    b += (pixel & 0xff) * weight;
                }
                out[y * width + x] = clamp(r) << 16 | clamp(g) << 8 | clamp(b);
            }
        }
        return out;
    }
}
