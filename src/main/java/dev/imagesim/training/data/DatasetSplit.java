package dev.imagesim.training.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

import dev.imagesim.ImagesimException;

/**
 * Indices of a dataset split three ways: training images, validation images of the same (seen) classes,
 * and every image of the held-out classes, which training never sees. Deterministic for a seed.
 *
 * @param train      images to train on
 * @param validation images of seen classes kept aside for evaluation
 * @param heldOut    images of held-out classes, for zero-shot retrieval evaluation
 */
public record DatasetSplit(int[] train, int[] validation, int[] heldOut) {

    /**
     * @param maxTrainPerClass training images kept per class (after the validation share is set aside);
     *                         null for all
     */
    public static DatasetSplit of(ImageDataset dataset, List<String> heldOutClasses, double validationFraction,
            Integer maxTrainPerClass, long seed) {
        if (!(validationFraction >= 0 && validationFraction < 1)) {
            throw ImagesimException.invalid("dataset-invalid", "validationFraction must be in [0, 1)");
        }
        Set<Integer> heldOutLabels = new HashSet<>();
        for (String name : heldOutClasses) {
            int label = dataset.classes().indexOf(name);
            if (label < 0) {
                throw ImagesimException.invalid("dataset-invalid",
                        "held-out class '" + name + "' is not in the dataset (classes: " + dataset.classes() + ")");
            }
            heldOutLabels.add(label);
        }
        Map<Integer, List<Integer>> byClass = new TreeMap<>();
        for (int i = 0; i < dataset.size(); i++) {
            byClass.computeIfAbsent(dataset.label(i), l -> new ArrayList<>()).add(i);
        }
        List<Integer> train = new ArrayList<>();
        List<Integer> validation = new ArrayList<>();
        List<Integer> heldOut = new ArrayList<>();
        Random random = new Random(seed);
        for (Map.Entry<Integer, List<Integer>> entry : byClass.entrySet()) {
            List<Integer> members = entry.getValue();
            if (heldOutLabels.contains(entry.getKey())) {
                heldOut.addAll(members);
                continue;
            }
            Collections.shuffle(members, random);
            int aside = members.size() < 2 ? 0 : (int) Math.round(members.size() * validationFraction);
            validation.addAll(members.subList(0, aside));
            int end = maxTrainPerClass == null ? members.size() : Math.min(members.size(), aside + maxTrainPerClass);
            train.addAll(members.subList(aside, end));
        }
        return new DatasetSplit(sorted(train), sorted(validation), sorted(heldOut));
    }

    private static int[] sorted(List<Integer> indices) {
        return indices.stream().mapToInt(Integer::intValue).sorted().toArray();
    }

    /** At most {@code max} of {@code indices}, a seeded sample when there are more. */
    public static int[] sample(int[] indices, int max, long seed) {
        if (indices.length <= max) {
            return indices;
        }
        List<Integer> list = new ArrayList<>();
        for (int index : indices) {
            list.add(index);
        }
        Collections.shuffle(list, new Random(seed));
        return sorted(list.subList(0, max));
    }
}
