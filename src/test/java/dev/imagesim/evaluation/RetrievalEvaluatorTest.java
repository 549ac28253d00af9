package dev.imagesim.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import dev.imagesim.model.RetrievalMetrics;
import dev.imagesim.vector.Distance;

class RetrievalEvaluatorTest {

    /** Points on a line; the expected values are worked out by hand in the comments. */
    @Test
    void matchesHandComputedRecallRPrecisionAndMapAtR() {
        float[][] points = {{0}, {1}, {3}, {2}, {9}, {100}};
        int[] labels = {0, 0, 0, 1, 1, 2};
        // q0 ranks 1,3,2 → AP@R = 1/2, RP = 1/2, hit at 1
        // q1 ranks 0,3 (tie, lower index first),2 → AP@R = 1/2, RP = 1/2, hit at 1
        // q2 ranks 3,1,0 → AP@R = (1/2)/2 = 1/4, RP = 1/2, miss at 1
        // q3 ranks 1,2,0,4 → AP@R = 0, hit only at rank 4
        // q4 ranks 2,3 → AP@R = 0, hit at rank 2
        // item 5 is alone in its class: not a query
        RetrievalMetrics metrics = RetrievalEvaluator.evaluate(points, labels, Distance.EUCLIDEAN);

        assertThat(metrics.queries()).isEqualTo(5);
        assertThat(metrics.recallAt1()).isCloseTo(0.4, within(1e-12));
        assertThat(metrics.precisionAt1()).isCloseTo(0.4, within(1e-12));
        assertThat(metrics.recallAt5()).isCloseTo(1.0, within(1e-12));
        assertThat(metrics.rPrecision()).isCloseTo(0.3, within(1e-12));
        assertThat(metrics.mapAtR()).isCloseTo(0.25, within(1e-12));
    }

    @Test
    void perfectlySeparatedClassesScoreOne() {
        float[][] points = {{1, 0}, {0.9f, 0.1f}, {0.95f, 0.05f}, {0, 1}, {0.1f, 0.9f}};
        int[] labels = {7, 7, 7, 8, 8};
        RetrievalMetrics metrics = RetrievalEvaluator.evaluate(points, labels, Distance.COSINE);

        assertThat(metrics.recallAt1()).isEqualTo(1.0);
        assertThat(metrics.mapAtR()).isEqualTo(1.0);
        assertThat(metrics.rPrecision()).isEqualTo(1.0);
    }

    @Test
    void randomEmbeddingsScoreNearChance() {
        SplittableRandom random = new SplittableRandom(3);
        int n = 2000;
        float[][] points = new float[n][16];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 10;
            for (int d = 0; d < 16; d++) {
                points[i][d] = (float) random.nextGaussian();
            }
        }
        RetrievalMetrics metrics = RetrievalEvaluator.evaluate(points, labels, Distance.EUCLIDEAN);

        assertThat(metrics.recallAt1()).isCloseTo(0.1, within(0.03));
        assertThat(metrics.mapAtR()).isLessThan(0.1);
    }

    @Test
    void nearestListsClosestFirstWithoutTheQuery() {
        float[][] points = {{0}, {5}, {1}, {2}};
        assertThat(RetrievalEvaluator.nearest(points, 0, 2, Distance.EUCLIDEAN)).containsExactly(2, 3);
        assertThat(RetrievalEvaluator.nearest(points, 0, 10, Distance.EUCLIDEAN)).containsExactly(2, 3, 1);
    }
}
