package dev.imagesim.duplicates;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.RescaleOp;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;

import dev.imagesim.FashionMnistSubset;
import dev.imagesim.FashionMnistSubset.Sample;
import dev.imagesim.TestImages;

/**
 * pHash on Fashion-MNIST images: copies (JPEG, resized, shifted by one pixel in 112, brighter) stay
 * within a few bits of their original, and distinct images of the subset are far apart. (A shift of 3 pixels
 * in 112 already moves 12.6 bits on average: pHash is known to be fragile to shifts and crops.)
 */
class PerceptualHashTest {

    private static final int COPY_BITS = 10;

    @Test
    void copiesStayCloseAndDistinctImagesFarApart() throws IOException {
        List<Sample> samples = FashionMnistSubset.load().subList(0, 60);
        int closeCopies = 0;
        int copies = 0;
        for (Sample sample : samples) {
            BufferedImage original = TestImages.resized(sample.image(), 112);
            long hash = PerceptualHash.of(original);
            for (BufferedImage copy : List.of(jpeg(original), TestImages.resized(original, 80), shifted(original, 1),
                    brighter(original))) {
                copies++;
                if (PerceptualHash.distance(hash, PerceptualHash.of(copy)) <= COPY_BITS) {
                    closeCopies++;
                }
            }
        }
        assertThat(closeCopies).as("copies within " + COPY_BITS + " bits").isGreaterThanOrEqualTo(copies * 9 / 10);
        int far = 0;
        int pairs = 0;
        for (int i = 0; i < samples.size(); i++) {
            for (int j = i + 1; j < samples.size(); j++) {
                pairs++;
                if (PerceptualHash.distance(PerceptualHash.of(samples.get(i).image()),
                        PerceptualHash.of(samples.get(j).image())) > COPY_BITS) {
                    far++;
                }
            }
        }
        assertThat(far).as("distinct pairs more than " + COPY_BITS + " bits apart").isGreaterThanOrEqualTo(pairs * 95 / 100);
        assertThat(PerceptualHash.distance(0L, -1L)).isEqualTo(64);
    }

    private static BufferedImage jpeg(BufferedImage image) throws IOException {
        return ImageIO.read(new ByteArrayInputStream(TestImages.encode(image, "jpeg")));
    }

    private static BufferedImage shifted(BufferedImage image, int by) {
        BufferedImage out = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D graphics = out.createGraphics();
        graphics.drawImage(image, by, by, null);
        graphics.dispose();
        return out;
    }

    private static BufferedImage brighter(BufferedImage image) {
        return new RescaleOp(1.15f, 12f, null).filter(image, null);
    }
}
