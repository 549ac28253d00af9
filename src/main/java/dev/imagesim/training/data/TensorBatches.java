package dev.imagesim.training.data;

import java.util.SplittableRandom;
import java.util.stream.IntStream;

import dev.imagesim.embedding.Preprocessor;
import dev.imagesim.model.ModelManifest;

/**
 * Turns dataset indices into the flat NCHW float arrays the network takes: decode, preprocess exactly as
 * serving does, then augment (training batches only). Images of a batch are prepared in parallel.
 */
public final class TensorBatches {

    private final ImageDataset dataset;
    private final Preprocessor preprocessor;
    private final int channels;
    private final int size;

    public TensorBatches(ImageDataset dataset, ModelManifest manifest) {
        this.dataset = dataset;
        this.preprocessor = new Preprocessor(manifest);
        this.channels = manifest.channels();
        this.size = manifest.inputSize();
    }

    public int imageLength() {
        return channels * size * size;
    }

    /** The images at {@code indices}, preprocessed, without augmentation. */
    public float[] plain(int[] indices) {
        return augmented(indices, Augmentation.NONE, 0);
    }

    /** The images at {@code indices}, preprocessed and augmented with a seed per batch. */
    public float[] augmented(int[] indices, Augmentation augmentation, long seed) {
        int length = imageLength();
        float[] out = new float[indices.length * length];
        IntStream.range(0, indices.length).parallel().forEach(i -> {
            SplittableRandom random = new SplittableRandom(seed * 31 + i);
            float[] tensor = preprocessor.toTensor(augmentation.edit(dataset.image(indices[i]), random));
            augmentation.apply(tensor, channels, size, random);
            System.arraycopy(tensor, 0, out, i * length, length);
        });
        return out;
    }

    public int[] labels(int[] indices) {
        int[] labels = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            labels[i] = dataset.label(indices[i]);
        }
        return labels;
    }
}
