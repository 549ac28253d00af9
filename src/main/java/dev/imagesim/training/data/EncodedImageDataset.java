package dev.imagesim.training.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.imagesim.ImagesimException;
import dev.imagesim.embedding.ImageDecoder;

/**
 * Encoded images (PNG, JPEG, ...) grouped by class name, decoded on demand with the service's
 * {@link ImageDecoder} and its limits. Classes are ordered by name, so labels are stable.
 */
public final class EncodedImageDataset extends LabelledImages {

    /** Where one image's bytes come from: a file, a zip entry held in memory, a stored blob. */
    public interface Source {
        String name();

        byte[] bytes() throws IOException;
    }

    private final List<Source> sources;
    private final ImageDecoder decoder;

    private EncodedImageDataset(List<String> classes, int[] labels, List<Source> sources, ImageDecoder decoder) {
        super(labels, classes);
        this.sources = sources;
        this.decoder = decoder;
    }

    /** A dataset of the given images per class name; classes without images are dropped. */
    public static EncodedImageDataset of(Map<String, List<Source>> byClass, ImageDecoder decoder) {
        List<String> classes = new ArrayList<>();
        List<Source> sources = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (Map.Entry<String, List<Source>> entry : new TreeMap<>(byClass).entrySet()) {
            if (entry.getValue().isEmpty()) {
                continue;
            }
            int label = classes.size();
            classes.add(entry.getKey());
            for (Source source : entry.getValue()) {
                sources.add(source);
                labels.add(label);
            }
        }
        if (sources.isEmpty()) {
            throw ImagesimException.invalid("dataset-empty", "the dataset holds no images");
        }
        return new EncodedImageDataset(List.copyOf(classes), labels.stream().mapToInt(Integer::intValue).toArray(),
                List.copyOf(sources), decoder);
    }

    @Override
    public BufferedImage image(int index) {
        Source source = sources.get(index);
        try {
            return decoder.decode(source.bytes()).image();
        } catch (IOException e) {
            throw ImagesimException.invalid("dataset-image-unreadable",
                    "cannot read dataset image " + source.name() + ": " + e.getMessage());
        } catch (ImagesimException e) {
            throw new ImagesimException(e.kind(), e.code(), "dataset image " + source.name() + ": " + e.getMessage());
        }
    }
}
