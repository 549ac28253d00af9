package dev.imagesim.embedding;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.image.BufferedImage;

import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

import dev.imagesim.index.Distance;
import dev.imagesim.model.Architecture;
import dev.imagesim.model.ModelManifest;

class PreprocessorTest {

    private static ModelManifest manifest(int channels, int size, int resize) {
        float[] mean = channels == 1 ? new float[] {0.5f} : new float[] {0.1f, 0.2f, 0.3f};
        float[] std = channels == 1 ? new float[] {0.5f} : new float[] {0.5f, 0.25f, 0.125f};
        return new ModelManifest("m", null, Architecture.CNN, size, resize, channels, mean, std, 8, Distance.COSINE,
                "w", null, false, null, null, null, null, null, null);
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
}
