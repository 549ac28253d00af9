package dev.imagesim.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.imagesim.model.RetrievalMetrics;

/** Which epoch a job installs, and when early stopping ends it. */
class EpochReportTest {

    private static EpochReport epoch(int epoch, Double seenMapAtR, Double heldOutMapAtR) {
        return EpochReport.trained(epoch, 0.1, null, 1).evaluated(metrics(seenMapAtR), metrics(heldOutMapAtR), 0.5);
    }

    private static RetrievalMetrics metrics(Double mapAtR) {
        return mapAtR == null ? null : new RetrievalMetrics(100, 0.9, 0.95, 0.97, mapAtR, mapAtR);
    }

    @Test
    void theScoreIsTheMeanMapAtROfSeenAndHeldOutClassesOrWhicheverThereIs() {
        assertThat(epoch(1, 0.8, 0.4).selectionScore()).isCloseTo(0.6, within(1e-12));
        assertThat(epoch(1, 0.8, null).selectionScore()).isEqualTo(0.8);
        assertThat(epoch(1, null, 0.4).selectionScore()).isEqualTo(0.4);
        assertThat(epoch(1, null, null).selectionScore()).isNull();
    }

    @Test
    void theBestScoredEpochIsSelectedAndTheEarlierOneOnATie() {
        List<EpochReport> reports = List.of(epoch(1, 0.5, 0.4), epoch(2, 0.8, 0.5), epoch(3, 0.3, 0.3),
                epoch(4, 0.8, 0.5));
        assertThat(EpochReport.selected(reports)).get().extracting(EpochReport::epoch).isEqualTo(2);
    }

    @Test
    void withoutClassesTheEpochOfLowestLossIsSelectedWhateverItsRetrieval() {
        // a self-supervised run that collapsed in its third epoch: its loss climbed back, its retrieval did not
        List<EpochReport> reports = List.of(unscored(1, 1.21, 0.78), unscored(2, 0.59, 0.80), unscored(3, 1.66, 0.90),
                unscored(4, 4.27, 0.95));
        assertThat(EpochReport.selected(reports)).get().extracting(EpochReport::epoch).isEqualTo(2);
    }

    private static EpochReport unscored(int epoch, double loss, double seenMapAtR) {
        return EpochReport.trained(epoch, loss, null, 1).evaluated(metrics(seenMapAtR), null, 0.5, false);
    }

    @Test
    void withoutAnyScoreTheLastEpochIsSelected() {
        List<EpochReport> reports = List.of(epoch(1, null, null), epoch(2, null, null));
        assertThat(EpochReport.selected(reports)).get().extracting(EpochReport::epoch).isEqualTo(2);
        assertThat(EpochReport.selected(List.of())).isEmpty();
    }

    @Test
    void earlyStoppingEndsAJobOncePatienceEpochsPassedWithoutABetterOne() {
        List<EpochReport> improving = List.of(epoch(1, 0.5, 0.4), epoch(2, 0.6, 0.5));
        List<EpochReport> stalledOne = List.of(epoch(1, 0.5, 0.4), epoch(2, 0.6, 0.5), epoch(3, 0.55, 0.5));
        List<EpochReport> stalledTwo = List.of(epoch(1, 0.5, 0.4), epoch(2, 0.6, 0.5), epoch(3, 0.55, 0.5),
                epoch(4, 0.6, 0.45));
        assertThat(EpochReport.stalled(improving, 1)).isFalse();
        assertThat(EpochReport.stalled(stalledOne, 1)).isTrue();
        assertThat(EpochReport.stalled(stalledOne, 2)).isFalse();
        assertThat(EpochReport.stalled(stalledTwo, 2)).isTrue();
        assertThat(EpochReport.stalled(stalledTwo, null)).isFalse();
        assertThat(EpochReport.stalled(List.of(), 1)).isFalse();
    }
}
