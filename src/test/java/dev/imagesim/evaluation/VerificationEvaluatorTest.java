package dev.imagesim.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

import dev.imagesim.model.VerificationMetrics;
import dev.imagesim.vector.Distance;

class VerificationEvaluatorTest {

    private static final double[] POSITIVE = {0.3, 0.1, 0.6, 0.2};
    private static final double[] NEGATIVE = {0.9, 0.25, 0.5, 0.8, 0.7};

    @Test
    void aucCountsCorrectlyOrderedPairs() {
        // negatives above each positive: 0.1 → 5, 0.2 → 5, 0.3 → 4, 0.6 → 3; 17 of 20
        VerificationMetrics metrics = VerificationEvaluator.evaluate(POSITIVE, NEGATIVE, 0.2);
        assertThat(metrics.rocAuc()).isCloseTo(0.85, within(1e-12));
        assertThat(VerificationEvaluator.evaluate(new double[] {0.5}, new double[] {0.5}, 0).rocAuc())
                .isEqualTo(0.5);
    }

    @Test
    void thresholdAdmitsAtMostTheTargetFalseAcceptRate() {
        VerificationMetrics at20 = VerificationEvaluator.evaluate(POSITIVE, NEGATIVE, 0.2);
        assertThat(at20.threshold()).isLessThan(0.5).isGreaterThan(0.49);
        assertThat(at20.falseAcceptRate()).isEqualTo(0.2);
        assertThat(at20.trueAcceptRate()).isEqualTo(0.75);

        VerificationMetrics at0 = VerificationEvaluator.evaluate(POSITIVE, NEGATIVE, 0.0);
        assertThat(at0.threshold()).isLessThan(0.25).isGreaterThan(0.24);
        assertThat(at0.falseAcceptRate()).isZero();
        assertThat(at0.trueAcceptRate()).isEqualTo(0.5);
    }

    @Test
    void equalErrorRateIsWhereFalseAcceptsMeetFalseRejects() {
        // at t = 0.3: FAR = 1/5, FRR = 1/4, the closest the two come
        assertThat(VerificationEvaluator.evaluate(POSITIVE, NEGATIVE, 0.1).equalErrorRate())
                .isCloseTo(0.225, within(1e-12));
    }

    @Test
    void rejectsEmptySidesAndImpossibleTargets() {
        assertThatThrownBy(() -> VerificationEvaluator.evaluate(new double[0], NEGATIVE, 0.1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> VerificationEvaluator.evaluate(POSITIVE, NEGATIVE, 1.0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void pairsUseEveryPairWhenFewAndASeededDrawWhenMany() {
        float[][] points = {{0}, {1}, {4}, {6}};
        int[] labels = {0, 0, 1, 1};
        VerificationPairs all = VerificationPairs.sample(points, labels, Distance.EUCLIDEAN, 100, 1);
        assertThat(all.positive()).containsExactlyInAnyOrder(1, 2);
        assertThat(all.negative()).containsExactlyInAnyOrder(4, 6, 3, 5);

        VerificationPairs drawn = VerificationPairs.sample(points, labels, Distance.EUCLIDEAN, 3, 1);
        assertThat(drawn.positive()).hasSize(2);
        assertThat(drawn.negative()).hasSize(3);
        assertThat(java.util.Arrays.stream(drawn.negative()).min().orElseThrow()).isGreaterThanOrEqualTo(3);
        assertThat(VerificationPairs.sample(points, labels, Distance.EUCLIDEAN, 3, 1).negative())
                .containsExactly(drawn.negative());
    }
}
