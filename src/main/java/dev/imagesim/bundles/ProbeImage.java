package dev.imagesim.bundles;

import java.awt.image.BufferedImage;

import dev.imagesim.model.ModelManifest;

/** A synthetic probe for a bundle that brings none: colour ramps and a checkerboard at the model's resize size. */
final class ProbeImage {

    private ProbeImage() {
    }

    static BufferedImage of(ModelManifest manifest) {
        int size = manifest.resizeSize();
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int r = x * 255 / size;
                int g = y * 255 / size;
                int b = ((x / 8 + y / 8) % 2) * 255;
                image.setRGB(x, y, r << 16 | g << 8 | b);
            }
        }
        return image;
    }
}
