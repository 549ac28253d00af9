package dev.imagesim.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Set;

import org.junit.jupiter.api.Test;

class GroupLearningRateTest {

    @Test
    void cosineDecaysFromTheFullRateToZero() {
        assertThat(LearningRateSchedule.COSINE.factor(0, 100)).isEqualTo(1.0);
        assertThat(LearningRateSchedule.COSINE.factor(50, 100)).isCloseTo(0.5, within(1e-12));
        assertThat(LearningRateSchedule.COSINE.factor(100, 100)).isCloseTo(0.0, within(1e-12));
        assertThat(LearningRateSchedule.CONSTANT.factor(70, 100)).isEqualTo(1.0);
    }

    @Test
    void theTrunkGetsItsMultiplierAndAResumedJobContinuesTheSchedule() {
        GroupLearningRate fresh = new GroupLearningRate(0.01f, 0.1f, Set.of("trunk-w"), LearningRateSchedule.CONSTANT,
                0, 100);
        assertThat(fresh.getNewValue("head-w", 1)).isEqualTo(0.01f);
        assertThat(fresh.getNewValue("trunk-w", 1)).isCloseTo(0.001f, within(1e-9f));

        GroupLearningRate resumed = new GroupLearningRate(0.01f, 1f, Set.of(), LearningRateSchedule.COSINE, 50, 100);
        assertThat(resumed.getNewValue("head-w", 1)).isCloseTo(0.005f, within(1e-7f));
    }
}
