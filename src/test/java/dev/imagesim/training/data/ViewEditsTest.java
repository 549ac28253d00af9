package dev.imagesim.training.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class ViewEditsTest {

    @Test
    void aResizedCropKeepsTheSizeAndMagnifiesAPart() {
        BufferedImage image = leftHalfWhite(40, 30);
        int magnified = 0;
        for (long seed = 0; seed < 50; seed++) {
            BufferedImage view = ViewEdits.random(image, new SplittableRandom(seed), 0.2, false, false);
            assertThat(view.getWidth()).isEqualTo(40);
            assertThat(view.getHeight()).isEqualTo(30);
            double white = whiteShare(view);
            if (white < 0.4 || white > 0.6) {
                magnified++;
            }
        }
        assertThat(magnified).as("crops off centre move the edge between the halves").isGreaterThan(15);
        assertThat(whiteShare(ViewEdits.random(image, new SplittableRandom(1), 1, false, false))).isEqualTo(0.5);
    }

    @Test
    void jitterChangesLightButKeepsAGrayImageGray() {
        BufferedImage image = gradient(16);
        int changed = 0;
        for (long seed = 0; seed < 20; seed++) {
            BufferedImage view = ViewEdits.random(image, new SplittableRandom(seed), 1, true, false);
            boolean differs = false;
            for (int y = 0; y < 16; y++) {
                for (int x = 0; x < 16; x++) {
                    int rgb = view.getRGB(x, y);
                    assertThat((rgb >> 16) & 0xff).isEqualTo(rgb & 0xff).isEqualTo((rgb >> 8) & 0xff);
                    differs |= (rgb & 0xff) != (image.getRGB(x, y) & 0xff);
                }
            }
            changed += differs ? 1 : 0;
        }
        assertThat(changed).as("jitter applies with probability 0.8").isBetween(10, 20);
    }

    @Test
    void blurSpreadsAnEdgeAndTheSameSeedGivesTheSameView() {
        BufferedImage image = leftHalfWhite(224, 8);
        boolean blurred = false;
        for (long seed = 0; seed < 10 && !blurred; seed++) {
            BufferedImage view = ViewEdits.random(image, new SplittableRandom(seed), 1, false, true);
            int justLeftOfEdge = view.getRGB(111, 4) & 0xff;
            blurred = justLeftOfEdge > 0 && justLeftOfEdge < 255;
        }
        assertThat(blurred).isTrue();
        BufferedImage a = ViewEdits.random(image, new SplittableRandom(7), 0.2, true, true);
        BufferedImage b = ViewEdits.random(image, new SplittableRandom(7), 0.2, true, true);
        assertThat(a.getRGB(0, 0, 224, 8, null, 0, 224)).containsExactly(b.getRGB(0, 0, 224, 8, null, 0, 224));
    }

    @Test
    void aGreyImageKeepsItsSamplesAsServingReadsThem() {
        BufferedImage grey = new BufferedImage(4, 1, BufferedImage.TYPE_BYTE_GRAY);
        grey.getRaster().setSamples(0, 0, 4, 1, 0, new int[] {0, 64, 128, 255});
        BufferedImage plain = ViewEdits.random(grey, new SplittableRandom(0), 1, false, false);
        assertThat(plain.getRGB(0, 0, 4, 1, null, 0, 4)).containsExactly(0xff000000, 0xff404040, 0xff808080, 0xffffffff);
    }

    private static BufferedImage leftHalfWhite(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width / 2; x++) {
                image.setRGB(x, y, 0xffffff);
            }
        }
        return image;
    }

    private static BufferedImage gradient(int size) {
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int v = (x + y) * 255 / (2 * size - 2);
                image.setRGB(x, y, v << 16 | v << 8 | v);
            }
        }
        return image;
    }

    private static double whiteShare(BufferedImage image) {
        int white = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                white += (image.getRGB(x, y) & 0xff) > 127 ? 1 : 0;
            }
        }
        return (double) white / (image.getWidth() * image.getHeight());
    }
}
