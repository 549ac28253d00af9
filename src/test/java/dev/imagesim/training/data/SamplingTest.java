package dev.imagesim.training.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

/** Splits, P×K batches and augmentation on a synthetic dataset of 5 classes with 3 to 40 images each. */
class SamplingTest {

    private static final int[] SIZES = {40, 30, 20, 10, 3};

    private final ImageDataset dataset = new LabelledImages(IntStream.range(0, SIZES.length)
            .flatMap(c -> IntStream.generate(() -> c).limit(SIZES[c])).toArray(), List.of("a", "b", "c", "d", "e")) {
        @Override
        public BufferedImage image(int index) {
            return new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_GRAY);
        }
    };

    @Test
    void splitKeepsHeldOutClassesOutOfTrainingAndSetsAsideValidationPerClass() {
        DatasetSplit split = DatasetSplit.of(dataset, List.of("b"), 0.1, null, 5);
        assertThat(Arrays.stream(split.heldOut()).map(dataset::label).distinct().toArray()).containsExactly(1);
        assertThat(split.heldOut()).hasSize(30);
        assertThat(Arrays.stream(split.train()).map(dataset::label)).doesNotContain(1);
        assertThat(split.validation()).hasSize(4 + 2 + 1 + 0);
        assertThat(split.train().length + split.validation().length + split.heldOut().length).isEqualTo(103);
        assertThat(DatasetSplit.of(dataset, List.of("b"), 0.1, null, 5)).usingRecursiveComparison().isEqualTo(split);
        assertThat(DatasetSplit.of(dataset, List.of(), 0.0, 5, 5).train()).hasSize(5 * 4 + 3);
    }

    @Test
    void pkBatchesHoldPClassesWithKImagesEachAndRepeatForASeed() {
        DatasetSplit split = DatasetSplit.of(dataset, List.of(), 0.0, null, 1);
        BatchSampler sampler = BatchSampler.pk(dataset, split.train(), 3, 4, 9);
        List<int[]> epoch = sampler.epoch(0);
        assertThat(epoch).hasSize(103 / 12);
        for (int[] batch : epoch) {
            Map<Integer, Long> perClass = Arrays.stream(batch).boxed()
                    .collect(Collectors.groupingBy(dataset::label, Collectors.counting()));
            assertThat(perClass).hasSize(3).allSatisfy((label, count) -> assertThat(count).isEqualTo(4L));
        }
        assertThat(sampler.epoch(0)).usingRecursiveComparison().isEqualTo(epoch);
        assertThat(sampler.epoch(1)).usingRecursiveComparison().isNotEqualTo(epoch);
    }

    @Test
    void shuffledBatchesCoverEachImageAtMostOncePerEpoch() {
        int[] train = IntStream.range(0, 103).toArray();
        List<int[]> epoch = BatchSampler.shuffled(train, 10, 3).epoch(2);
        assertThat(epoch).hasSize(10);
        assertThat(epoch.stream().flatMapToInt(Arrays::stream).distinct().count()).isEqualTo(100);
    }

    @Test
    void augmentationFlipsAndShiftsWithinTheImage() {
        float[] image = {1, 2, 3, 4, 5, 6, 7, 8, 9};
        float[] flipped = image.clone();
        new Augmentation(true, 0, false, null, false, false).apply(flipped, 1, 3, alwaysTrue());
        assertThat(flipped).containsExactly(3, 2, 1, 6, 5, 4, 9, 8, 7);
        float[] none = image.clone();
        Augmentation.NONE.apply(none, 1, 3, new SplittableRandom(1));
        assertThat(none).containsExactly(image);
        for (long seed = 0; seed < 20; seed++) {
            float[] shifted = image.clone();
            new Augmentation(false, 1, false, null, false, false).apply(shifted, 1, 3, new SplittableRandom(seed));
            SplittableRandom same = new SplittableRandom(seed);
            int dx = same.nextInt(-1, 2);
            int dy = same.nextInt(-1, 2);
            for (int y = 0; y < 3; y++) {
                for (int x = 0; x < 3; x++) {
                    int sy = Math.max(0, Math.min(2, y + dy));
                    int sx = Math.max(0, Math.min(2, x + dx));
                    assertThat(shifted[y * 3 + x]).isEqualTo(image[sy * 3 + sx]);
                }
            }
        }
    }

    /** A generator whose first boolean is true, so the flip happens. */
    private static SplittableRandom alwaysTrue() {
        long seed = 0;
        while (!new SplittableRandom(seed).nextBoolean()) {
            seed++;
        }
        return new SplittableRandom(seed);
    }
}
