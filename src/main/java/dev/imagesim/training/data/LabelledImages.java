package dev.imagesim.training.data;

import java.util.List;

/** The label half of an {@link ImageDataset}: one class index per image and the class names. */
public abstract class LabelledImages implements ImageDataset {

    private final int[] labels;
    private final List<String> classes;

    protected LabelledImages(int[] labels, List<String> classes) {
        this.labels = labels;
        this.classes = List.copyOf(classes);
    }

    @Override
    public final int size() {
        return labels.length;
    }

    @Override
    public final int label(int index) {
        return labels[index];
    }

    @Override
    public final List<String> classes() {
        return classes;
    }
}
