package dev.imagesim.embedding;

import java.awt.image.BufferedImage;

/** A decoded image and the format it was decoded from ({@code png}, {@code jpeg}, {@code gif}, {@code bmp}). */
public record DecodedImage(BufferedImage image, String format) {

    public int width() {
        return image.getWidth();
    }

    public int height() {
        return image.getHeight();
    }

    public String contentType() {
        return "image/" + format;
    }
}
