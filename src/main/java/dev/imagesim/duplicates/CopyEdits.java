package dev.imagesim.duplicates;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.RescaleOp;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.SplittableRandom;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * What the service counts as a copy of an image, as the edits that make one: a JPEG re-encode at low quality,
 * a downscale, a small crop, a brightness and contrast change, and combinations (the edits imagededup and
 * copy-detection benchmarks apply). {@link CopyCalibration} makes the {@link #standard} set of a collection's
 * own images to set the {@code embedding} threshold; self-supervised training draws {@link #random} ones so
 * that a network learns to see through them.
 */
public final class CopyEdits {

    private CopyEdits() {
    }

    /** The standard copies of {@code image}, one per edit. */
    static List<BufferedImage> standard(BufferedImage image) {
        BufferedImage rgb = rgb(image);
        return List.of(
                jpeg(rgb, 0.5f),
                scaled(rgb, 0.6),
                cropped(rgb, 0.06),
                new RescaleOp(1.15f, 12f, null).filter(rgb, null),
                jpeg(scaled(rgb, 0.75), 0.7f));
    }

    /**
     * A copy made by a random mix of the edits at random strengths: a crop of up to 10% off each side and a
     * downscale to 50–100% (each with probability ½), a brightness and contrast change (×0.75–1.33, −30…+30;
     * probability 0.8: light is what changes most between copies) and a JPEG re-encode at quality 0.3–0.9
     * (probability ½). The result is RGB and may be smaller.
     */
    public static BufferedImage random(BufferedImage image, SplittableRandom random) {
        BufferedImage copy = rgb(image);
        if (random.nextBoolean()) {
            int width = copy.getWidth();
            int height = copy.getHeight();
            int left = (int) (width * random.nextDouble(0.1));
            int top = (int) (height * random.nextDouble(0.1));
            int right = (int) (width * random.nextDouble(0.1));
            int bottom = (int) (height * random.nextDouble(0.1));
            copy = rgb(copy.getSubimage(left, top, width - left - right, height - top - bottom));
        }
        if (random.nextBoolean()) {
            copy = scaled(copy, random.nextDouble(0.5, 1.0));
        }
        if (random.nextDouble() < 0.8) {
            copy = new RescaleOp((float) Math.exp(random.nextDouble(-0.29, 0.29)),
                    (float) random.nextDouble(-30, 30), null).filter(copy, null);
        }
        if (random.nextBoolean()) {
            copy = jpeg(copy, (float) random.nextDouble(0.3, 0.9));
        }
        return copy;
    }

    private static BufferedImage rgb(BufferedImage image) {
        BufferedImage out = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D graphics = out.createGraphics();
        graphics.drawImage(image, 0, 0, null);
        graphics.dispose();
        return out;
    }

    private static BufferedImage scaled(BufferedImage image, double factor) {
        int width = Math.max(8, (int) Math.round(image.getWidth() * factor));
        int height = Math.max(8, (int) Math.round(image.getHeight() * factor));
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D graphics = out.createGraphics();
        graphics.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        graphics.drawImage(image, 0, 0, width, height, null);
        graphics.dispose();
        return out;
    }

    /** Cuts {@code share} of the width off the left and of the height off the top. */
    private static BufferedImage cropped(BufferedImage image, double share) {
        int x = (int) Math.round(image.getWidth() * share);
        int y = (int) Math.round(image.getHeight() * share);
        return rgb(image.getSubimage(x, y, image.getWidth() - x, image.getHeight() - y));
    }

    private static BufferedImage jpeg(BufferedImage image, float quality) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            ImageWriteParam parameters = writer.getDefaultWriteParam();
            parameters.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            parameters.setCompressionQuality(quality);
            writer.setOutput(out);
            writer.write(null, new IIOImage(image, null, null), parameters);
        } catch (IOException e) {
            throw new UncheckedIOException("in-memory JPEG encoding failed", e);
        } finally {
            writer.dispose();
        }
        try {
            return ImageIO.read(new java.io.ByteArrayInputStream(bytes.toByteArray()));
        } catch (IOException e) {
            throw new UncheckedIOException("in-memory JPEG decoding failed", e);
        }
    }
}
