package dev.imagesim.embedding;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

import org.springframework.stereotype.Component;

import dev.imagesim.ImagesimException;
import dev.imagesim.ImagesimException.Kind;
import dev.imagesim.RequestLimits;

/**
 * Decodes PNG, JPEG, GIF and BMP bytes after checking size and pixel count (read from the header, so a
 * decompression bomb is refused before any pixel is allocated). Decoder warnings such as a premature end
 * of a JPEG count as corruption: a half-decoded image would embed as garbage.
 */
@Component
public class ImageDecoder {

    private static final Set<String> FORMATS = Set.of("png", "jpeg", "gif", "bmp");

    private final RequestLimits limits;

    public ImageDecoder(RequestLimits limits) {
        this.limits = limits;
    }

    public DecodedImage decode(byte[] bytes) {
        if (bytes.length == 0) {
            throw ImagesimException.invalid("image-empty", "the image is empty (0 bytes)");
        }
        long maxBytes = limits.maxImageSize().toBytes();
        if (bytes.length > maxBytes) {
            throw new ImagesimException(Kind.TOO_LARGE, "image-too-large",
                    "the image has " + bytes.length + " bytes; the limit is " + maxBytes);
        }
        try (ImageInputStream input = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            ImageReader reader = supportedReader(input);
            try {
                reader.setInput(input, true, true);
                checkPixels(reader.getWidth(0), reader.getHeight(0));
                StringBuilder warnings = new StringBuilder();
                reader.addIIOReadWarningListener((source, warning) -> warnings.append(warning).append("; "));
                BufferedImage image = reader.read(0);
                if (!warnings.isEmpty()) {
                    throw corrupt(warnings.substring(0, warnings.length() - 2), null);
                }
                return new DecodedImage(image, reader.getFormatName().toLowerCase(Locale.ROOT));
            } finally {
                reader.dispose();
            }
        } catch (ImagesimException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw corrupt(e.getMessage(), e);
        }
    }

    private static ImageReader supportedReader(ImageInputStream input) throws IOException {
        Iterator<ImageReader> readers = ImageIO.getImageReaders(input);
        while (readers.hasNext()) {
            ImageReader reader = readers.next();
            if (FORMATS.contains(reader.getFormatName().toLowerCase(Locale.ROOT))) {
                return reader;
            }
        }
        throw new ImagesimException(Kind.UNSUPPORTED_MEDIA, "image-unsupported",
                "the data is not a PNG, JPEG, GIF or BMP image");
    }

    private void checkPixels(int width, int height) {
        if (width <= 0 || height <= 0) {
            throw corrupt("the image declares a size of " + width + "×" + height, null);
        }
        long pixels = (long) width * height;
        if (pixels > limits.maxImagePixels()) {
            throw new ImagesimException(Kind.TOO_LARGE, "image-too-many-pixels", "the image declares " + width
                    + "×" + height + " = " + pixels + " pixels; the limit is " + limits.maxImagePixels());
        }
    }

    private static ImagesimException corrupt(String reason, Throwable cause) {
        return new ImagesimException(Kind.UNPROCESSABLE, "image-corrupt",
                "the image is corrupt or truncated" + (reason == null ? "" : ": " + reason), cause);
    }
}
