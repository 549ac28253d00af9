package dev.imagesim;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

import javax.imageio.ImageIO;

/** Generated test images: distinct shapes and colours on plain backgrounds, encoded on demand. */
public final class TestImages {

    /** A shape to draw. */
    public enum ShapeKind { CIRCLE, SQUARE, TRIANGLE, STRIPES }

    private TestImages() {
    }

    public static BufferedImage shape(ShapeKind kind, Color colour, int size, int offset) {
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, size, size);
        g.setColor(colour);
        int m = size / 6 + offset;
        int s = size - 2 * (size / 6);
        switch (kind) {
            case CIRCLE -> g.fillOval(m, m, s, s);
            case SQUARE -> g.fillRect(m, m, s, s);
            case TRIANGLE -> g.fillPolygon(new int[] {m, m + s, m + s / 2}, new int[] {m + s, m + s, m}, 3);
            case STRIPES -> {
                for (int x = 0; x < size; x += size / 8) {
                    g.fillRect(x, 0, size / 16, size);
                }
            }
        }
        g.dispose();
        return image;
    }

    /** {@code image} drawn into a {@code size}×{@code size} RGB image, bicubic. */
    public static BufferedImage resized(BufferedImage image, int size) {
        BufferedImage out = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D graphics = out.createGraphics();
        graphics.setRenderingHint(java.awt.RenderingHints.KEY_INTERPOLATION,
                java.awt.RenderingHints.VALUE_INTERPOLATION_BICUBIC);
        graphics.drawImage(image, 0, 0, size, size, null);
        graphics.dispose();
        return out;
    }

    /**
     * {@code image} drawn into an RGB image of its size, moved right and down by {@code pixels} (black comes in);
     * 0 gives a plain RGB copy.
     */
    public static BufferedImage shifted(BufferedImage image, int pixels) {
        BufferedImage out = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D graphics = out.createGraphics();
        graphics.drawImage(image, pixels, pixels, null);
        graphics.dispose();
        return out;
    }

    public static byte[] encode(BufferedImage image, String format) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalArgumentException("no writer for " + format);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] png(ShapeKind kind, Color colour) {
        return encode(shape(kind, colour, 96, 0), "png");
    }
}
