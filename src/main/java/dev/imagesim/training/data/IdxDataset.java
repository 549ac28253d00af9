package dev.imagesim.training.data;

import java.awt.image.BufferedImage;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

import dev.imagesim.ImagesimException;

/**
 * Grayscale images and labels in the IDX format of MNIST and Fashion-MNIST (optionally gzipped), held in
 * memory as bytes (Fashion-MNIST's 60 000 training images take 47 MB).
 */
public final class IdxDataset extends LabelledImages {

    private static final int IMAGES_MAGIC = 2051;
    private static final int LABELS_MAGIC = 2049;

    private final byte[] pixels;
    private final int rows;
    private final int columns;

    private IdxDataset(byte[] pixels, int[] labels, int rows, int columns) {
        super(labels, digitNames(labels));
        this.pixels = pixels;
        this.rows = rows;
        this.columns = columns;
    }

    /** IDX files carry no class names: classes are "0" up to the largest label. */
    private static List<String> digitNames(int[] labels) {
        int maxLabel = 0;
        for (int label : labels) {
            maxLabel = Math.max(maxLabel, label);
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i <= maxLabel; i++) {
            names.add(Integer.toString(i));
        }
        return names;
    }

    /**
     * Reads {@code path}: an images file ({@code *-images-idx3-ubyte[.gz]}, its labels file beside it with
     * {@code labels-idx1} in place of {@code images-idx3}), or a directory holding
     * {@code train-images-idx3-ubyte[.gz]}.
     */
    public static IdxDataset read(Path path) {
        Path images = Files.isDirectory(path) ? trainingImages(path) : path;
        String name = images.getFileName().toString();
        if (!name.contains("images-idx3")) {
            throw ImagesimException.invalid("dataset-invalid",
                    "an IDX dataset path must name an *-images-idx3-ubyte file or a directory with train-images-idx3-ubyte");
        }
        Path labelsFile = images.resolveSibling(name.replace("images-idx3", "labels-idx1"));
        try (DataInputStream in = open(images); DataInputStream labelIn = open(labelsFile)) {
            if (in.readInt() != IMAGES_MAGIC || labelIn.readInt() != LABELS_MAGIC) {
                throw ImagesimException.invalid("dataset-invalid", "not IDX image and label files: " + name);
            }
            int count = in.readInt();
            int rows = in.readInt();
            int columns = in.readInt();
            if (labelIn.readInt() != count || count <= 0 || rows <= 0 || columns <= 0
                    || (long) count * rows * columns > Integer.MAX_VALUE) {
                throw ImagesimException.invalid("dataset-invalid", "IDX header sizes do not agree: " + name);
            }
            byte[] pixels = new byte[count * rows * columns];
            in.readFully(pixels);
            int[] labels = new int[count];
            for (int i = 0; i < count; i++) {
                labels[i] = labelIn.readUnsignedByte();
            }
            return new IdxDataset(pixels, labels, rows, columns);
        } catch (IOException e) {
            throw ImagesimException.invalid("dataset-invalid", "cannot read IDX dataset " + name + ": " + e.getMessage());
        }
    }

    private static Path trainingImages(Path directory) {
        for (String candidate : new String[] {"train-images-idx3-ubyte", "train-images-idx3-ubyte.gz"}) {
            if (Files.isRegularFile(directory.resolve(candidate))) {
                return directory.resolve(candidate);
            }
        }
        throw ImagesimException.invalid("dataset-invalid", "no train-images-idx3-ubyte[.gz] in the IDX directory");
    }

    private static DataInputStream open(Path file) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(file));
        return new DataInputStream(file.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(in) : in);
    }

    @Override
    public BufferedImage image(int index) {
        BufferedImage image = new BufferedImage(columns, rows, BufferedImage.TYPE_BYTE_GRAY);
        int plane = rows * columns;
        byte[] copy = new byte[plane];
        System.arraycopy(pixels, index * plane, copy, 0, plane);
        image.getRaster().setDataElements(0, 0, columns, rows, copy);
        return image;
    }
}
