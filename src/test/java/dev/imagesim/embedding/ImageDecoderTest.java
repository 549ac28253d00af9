package dev.imagesim.embedding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.imagesim.TestLimits;
import dev.imagesim.ImagesimException;
import dev.imagesim.TestImages;
import dev.imagesim.TestImages.ShapeKind;

class ImageDecoderTest {

    private final ImageDecoder decoder = new ImageDecoder(TestLimits.defaults());

    @ParameterizedTest
    @ValueSource(strings = {"png", "jpeg", "gif", "bmp"})
    void decodesTheSupportedFormats(String format) {
        byte[] bytes = TestImages.encode(TestImages.shape(ShapeKind.SQUARE, Color.BLUE, 40, 0), format);
        DecodedImage image = decoder.decode(bytes);
        assertThat(image.width()).isEqualTo(40);
        assertThat(image.format()).isEqualTo(format);
    }

    @Test
    void aDecompressionBombIsRefusedFromItsHeaderBeforeAnyPixelIsAllocated() throws IOException {
        // A valid PNG signature and IHDR declaring 100000 x 100000 pixels, followed by nothing useful.
        byte[] bomb = pngHeader(100_000, 100_000);
        assertThatThrownBy(() -> decoder.decode(bomb))
                .isInstanceOf(ImagesimException.class)
                .satisfies(e -> assertThat(((ImagesimException) e).code()).isEqualTo("image-too-many-pixels"));
    }

    /**
     * Checked as the preprocessor sees them, drawn onto an RGB canvas: {@code BufferedImage.getRGB} on a
     * grey image would apply the JDK's linear-grey colour conversion, which drawing does not.
     */
    @ParameterizedTest
    @ValueSource(strings = {"cmyk.jpg", "gray-16bit.png", "animated-3000-frames.gif", "palette.png",
            "rgba-transparent.png", "progressive.jpg", "gray.jpg"})
    void oddButValidImagesDecodeToTheirColours(String file) throws IOException {
        DecodedImage image = decoder.decode(corpusFile(file));
        assertThat(image.width()).isEqualTo(64);
        BufferedImage canvas = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 64, 64);
        g.drawImage(image.image(), 0, 0, null);
        g.dispose();
        Color centre = new Color(canvas.getRGB(32, 32));
        Color corner = new Color(canvas.getRGB(2, 2));
        if (file.startsWith("gray-16bit")) {
            assertThat(centre.getRed()).as("60000/65535 of white").isBetween(230, 236);
            assertThat(corner.getRed()).as("black corner").isZero();
        } else if (file.equals("gray.jpg")) {
            assertThat(centre.getRed()).as("luminance of the red").isBetween(76, 86);
            assertThat(corner.getRed()).as("white corner").isGreaterThan(245);
        } else {
            assertThat(centre.getRed()).as("red centre of %s", file)
                    .isGreaterThan(centre.getGreen() + 100).isGreaterThan(centre.getBlue() + 100);
            assertThat(corner).as("white corner of %s", file).isEqualTo(Color.WHITE);
        }
    }

    private static byte[] corpusFile(String name) throws IOException {
        try (var in = ImageDecoderTest.class.getResourceAsStream("/bad-input/files/" + name)) {
            return in.readAllBytes();
        }
    }

    @Test
    void textIsUnsupported() {
        assertThatThrownBy(() -> decoder.decode("GIF89a? no".getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(ImagesimException.class);
    }

    private static byte[] pngHeader(int width, int height) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
        DataOutputStream data = new DataOutputStream(ihdr);
        data.writeBytes("IHDR");
        data.writeInt(width);
        data.writeInt(height);
        data.write(new byte[] {8, 0, 0, 0, 0});
        out.writeInt(13);
        out.write(ihdr.toByteArray());
        CRC32 crc = new CRC32();
        crc.update(ihdr.toByteArray());
        out.writeInt((int) crc.getValue());
        return bytes.toByteArray();
    }
}
