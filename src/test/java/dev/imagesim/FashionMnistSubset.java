package dev.imagesim;

import java.awt.image.BufferedImage;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The committed Fashion-MNIST subset (30 test images per class), read from its IDX files. */
public final class FashionMnistSubset {

    /** One image and its class (0-9). */
    public record Sample(int index, int label, BufferedImage image) {
        public String id() {
            return "fm-" + index;
        }
    }

    private FashionMnistSubset() {
    }

    public static List<Sample> load() {
        try (DataInputStream images = open("subset-images-idx3-ubyte");
                DataInputStream labels = open("subset-labels-idx1-ubyte")) {
            if (images.readInt() != 2051 || labels.readInt() != 2049) {
                throw new IOException("not IDX files");
            }
            int count = images.readInt();
            int rows = images.readInt();
            int cols = images.readInt();
            labels.readInt();
            List<Sample> samples = new ArrayList<>(count);
            byte[] pixels = new byte[rows * cols];
            for (int i = 0; i < count; i++) {
                images.readFully(pixels);
                BufferedImage image = new BufferedImage(cols, rows, BufferedImage.TYPE_BYTE_GRAY);
                image.getRaster().setDataElements(0, 0, cols, rows, pixels.clone());
                samples.add(new Sample(i, labels.readUnsignedByte(), image));
            }
            return samples;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Copies the committed training subset (100 images per class, gzipped IDX) into {@code directory}, where
     * an IDX dataset of that directory reads it.
     */
    public static void copyTrainingSet(Path directory) throws IOException {
        Files.createDirectories(directory);
        for (String file : List.of("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz")) {
            try (InputStream in = FashionMnistSubset.class.getResourceAsStream("/fashion-mnist/train/" + file)) {
                Files.copy(in, directory.resolve(file));
            }
        }
    }

    private static DataInputStream open(String name) {
        InputStream in = FashionMnistSubset.class.getResourceAsStream("/fashion-mnist/" + name);
        if (in == null) {
            throw new IllegalStateException("missing test resource fashion-mnist/" + name);
        }
        return new DataInputStream(in);
    }
}
