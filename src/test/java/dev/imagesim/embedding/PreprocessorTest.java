package dev.imagesim.embedding;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.Random;

import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

import dev.imagesim.vector.Distance;
import dev.imagesim.model.Architecture;
import dev.imagesim.model.ModelManifest;

class PreprocessorTest {

    private static ModelManifest manifest(int channels, int size, int resize) {
        float[] mean = channels == 1 ? new float[] {0.5f} : new float[] {0.1f, 0.2f, 0.3f};
        float[] std = channels == 1 ? new float[] {0.5f} : new float[] {0.5f, 0.25f, 0.125f};
        return new ModelManifest("m", null, Architecture.CNN, size, resize, channels, mean, std, 8, Distance.COSINE,
                "w", null, false, null, null, null, null, null, null, null);
    }

    private static BufferedImage filled(int width, int height, Color colour) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, colour.getRGB());
            }
        }
        return image;
    }

    @Test
    void rgbIsScaledAndNormalisedPerChannelInChwOrder() {
        float[] t = new Preprocessor(manifest(3, 4, 4)).toTensor(filled(4, 4, new Color(255, 0, 51)));
        assertThat(t).hasSize(48);
        assertThat(t[0]).isCloseTo((1f - 0.1f) / 0.5f, Offset.offset(1e-5f));
        assertThat(t[16]).isCloseTo((0f - 0.2f) / 0.25f, Offset.offset(1e-5f));
        assertThat(t[32]).isCloseTo((0.2f - 0.3f) / 0.125f, Offset.offset(1e-5f));
    }

    @Test
    void grayscaleUsesLuminance() {
        float[] t = new Preprocessor(manifest(1, 4, 4)).toTensor(filled(4, 4, new Color(255, 0, 0)));
        assertThat(t).hasSize(16);
        assertThat(t[5]).isCloseTo((0.299f - 0.5f) / 0.5f, Offset.offset(1e-3f));
    }

    @Test
    void transparencyIsCompositedOverWhite() {
        float[] t = new Preprocessor(manifest(1, 4, 4)).toTensor(filled(4, 4, new Color(0, 0, 0, 0)));
        assertThat(t[0]).isCloseTo(1f, Offset.offset(1e-3f));
    }

    @Test
    void shorterSideIsResizedThenTheCentreIsCropped() {
        // 40 x 20: left eighth red, the rest blue; resized to 8 x 4 and centre-cropped to 4 x 4, no red remains
        BufferedImage image = filled(40, 20, Color.BLUE);
        for (int y = 0; y < 20; y++) {
            for (int x = 0; x < 5; x++) {
                image.setRGB(x, y, Color.RED.getRGB());
            }
        }
        float[] t = new Preprocessor(manifest(3, 4, 4)).toTensor(image);
        for (int i = 0; i < 16; i++) {
            assertThat(t[i]).as("red channel at %d", i).isCloseTo((0f - 0.1f) / 0.5f, Offset.offset(0.05f));
        }
    }

    @Test
    void imagesReadStraightFromTheRasterMatchWhatDrawingThemGives() {
        Random random = new Random(3);
        int[] types = {BufferedImage.TYPE_INT_RGB, BufferedImage.TYPE_INT_BGR, BufferedImage.TYPE_3BYTE_BGR,
            BufferedImage.TYPE_BYTE_GRAY};
        for (int channels : new int[] {1, 3}) {
            Preprocessor preprocessor = new Preprocessor(manifest(channels, 4, 4));
            for (int type : types) {
                for (int[] size : new int[][] {{4, 4}, {7, 4}, {4, 9}}) {
                    BufferedImage image = new BufferedImage(size[0], size[1], type);
                    for (int y = 0; y < size[1]; y++) {
                        for (int x = 0; x < size[0]; x++) {
                            image.setRGB(x, y, random.nextInt(1 << 24));
                        }
                    }
                    assertThat(preprocessor.toTensor(image))
                            .as("type %d, %d x %d, %d channels", type, size[0], size[1], channels)
                            .containsExactly(preprocessor.toTensor(drawnCentre(image, 4)));
                }
            }
        }
    }

    /** The centre {@code side}² of an image drawn onto a white RGB canvas by Java2D, as the drawing path does. */
    private static BufferedImage drawnCentre(BufferedImage image, int side) {
        BufferedImage canvas = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, side, side);
        g.drawImage(image, -(image.getWidth() - side) / 2, -(image.getHeight() - side) / 2, image.getWidth(),
                image.getHeight(), null);
        g.dispose();
        return canvas;
    }
}
