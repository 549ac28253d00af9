package dev.imagesim.embedding;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

import dev.imagesim.model.ModelManifest;

/**
 * Prepares a decoded image as the trunk expects it: composite transparency over white, resize so the
 * shorter side is {@code resizeSize}, centre-crop {@code inputSize}², convert to the manifest's channels
 * (luminance for one channel) and normalise each channel as {@code (v/255 − mean) / std}.
 * The result is a CHW float array.
 * <p>
 * An opaque image whose shorter side is already {@code resizeSize} needs no resampling: its centre is read
 * straight from the raster, which is what drawing it would give, at a fraction of the cost (JPEG and PNG
 * decoders' RGB and grey types, and the service's own {@code INT_RGB}). Anything else is drawn with Java2D.
 */
public final class Preprocessor {

    private final int inputSize;
    private final int resizeSize;
    private final int channels;
    private final float[] mean;
    private final float[] std;

    public Preprocessor(ModelManifest manifest) {
        this.inputSize = manifest.inputSize();
        this.resizeSize = manifest.resizeSize();
        this.channels = manifest.channels();
        this.mean = manifest.mean().clone();
        this.std = manifest.std().clone();
    }

    public float[] toTensor(BufferedImage image) {
        int[] rgb = cropToRgb(image);
        int plane = inputSize * inputSize;
        float[] tensor = new float[channels * plane];
        for (int i = 0; i < plane; i++) {
            int p = rgb[i];
            float r = (p >> 16) & 0xFF;
            float g = (p >> 8) & 0xFF;
            float b = p & 0xFF;
            if (channels == 1) {
                float luminance = (0.299f * r + 0.587f * g + 0.114f * b) / 255f;
                tensor[i] = (luminance - mean[0]) / std[0];
            } else {
                tensor[i] = (r / 255f - mean[0]) / std[0];
                tensor[plane + i] = (g / 255f - mean[1]) / std[1];
                tensor[2 * plane + i] = (b / 255f - mean[2]) / std[2];
            }
        }
        return tensor;
    }

    private int[] cropToRgb(BufferedImage original) {
        int[] direct = directCrop(original);
        if (direct != null) {
            return direct;
        }
        BufferedImage image = original;
        // Halve step by step first: one bilinear pass from a far larger image would alias badly.
        while (Math.min(image.getWidth(), image.getHeight()) / 2 >= resizeSize) {
            image = halved(image);
        }
        int width = image.getWidth();
        int height = image.getHeight();
        double scale = (double) resizeSize / Math.min(width, height);
        int scaledWidth = Math.max(inputSize, (int) Math.round(width * scale));
        int scaledHeight = Math.max(inputSize, (int) Math.round(height * scale));
        BufferedImage canvas = new BufferedImage(inputSize, inputSize, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, inputSize, inputSize);
            int x = -(scaledWidth - inputSize) / 2;
            int y = -(scaledHeight - inputSize) / 2;
            g.drawImage(image, x, y, scaledWidth, scaledHeight, null);
        } finally {
            g.dispose();
        }
        return canvas.getRGB(0, 0, inputSize, inputSize, null, 0, inputSize);
    }

    /** The centre crop read from the raster, or null when the image needs scaling or compositing. */
    private int[] directCrop(BufferedImage image) {
        int width = image.getWidth();
        int height = image.getHeight();
        if (Math.min(width, height) != resizeSize || Math.min(width, height) < inputSize) {
            return null;
        }
        int x = (width - inputSize) / 2;
        int y = (height - inputSize) / 2;
        return switch (image.getType()) {
            case BufferedImage.TYPE_INT_RGB, BufferedImage.TYPE_INT_BGR, BufferedImage.TYPE_3BYTE_BGR ->
                    image.getRGB(x, y, inputSize, inputSize, null, 0, inputSize);
            case BufferedImage.TYPE_BYTE_GRAY -> greyAsRgb(image, x, y, inputSize, inputSize);
            default -> null;
        };
    }

    /**
     * A region of a grey image's samples as RGB with equal channels, as serving reads them ({@code getRGB} would
     * apply a gamma curve to them).
     */
    public static int[] greyAsRgb(BufferedImage image, int x, int y, int width, int height) {
        int[] grey = image.getRaster().getSamples(x, y, width, height, 0, (int[]) null);
        for (int i = 0; i < grey.length; i++) {
            grey[i] = grey[i] * 0x010101;
        }
        return grey;
    }

    private static BufferedImage halved(BufferedImage image) {
        BufferedImage half = new BufferedImage(image.getWidth() / 2, image.getHeight() / 2,
                BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = half.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(image, 0, 0, half.getWidth(), half.getHeight(), null);
        } finally {
            g.dispose();
        }
        return half;
    }
}
