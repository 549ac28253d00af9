package dev.imagesim.training.objective;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Miners on points of a line, x = (0, 1, 1.5, 4) with classes (0, 0, 1, 1), so d(i, j) = |x_i − x_j|.
 */
class TripletMinerTest {

    private static final float[] X = {0, 1, 1.5f, 4};
    private static final int[] LABELS = {0, 0, 1, 1};

    @Test
    void batchHardPicksFarthestPositiveAndNearestNegative() {
        Triplets t = TripletMiner.BATCH_HARD.mine(distances(), LABELS);
        assertThat(t.anchors()).containsExactly(0, 1, 2, 3);
        assertThat(t.positives()).containsExactly(1, 0, 3, 2);
        assertThat(t.negatives()).containsExactly(2, 2, 1, 1);
    }

    @Test
    void semiHardPicksNearestNegativeBeyondThePositiveElseTheFarthest() {
        // (0,1): d = 1 → negatives beyond: 2 (1.5), 3 (4) → 2; (1,0): d = 1 → only 3 (3) is beyond;
        // (2,3): d = 2.5 → none beyond → farthest, 0 (1.5); (3,2): d = 2.5 → 1 (3) beats 0 (4)
        Triplets t = TripletMiner.SEMI_HARD.mine(distances(), LABELS);
        assertThat(t.anchors()).containsExactly(0, 1, 2, 3);
        assertThat(t.positives()).containsExactly(1, 0, 3, 2);
        assertThat(t.negatives()).containsExactly(2, 3, 0, 1);
    }

    @Test
    void batchAllTakesEveryValidTriplet() {
        Triplets t = TripletMiner.BATCH_ALL.mine(distances(), LABELS);
        assertThat(t.size()).isEqualTo(8);
        for (int i = 0; i < t.size(); i++) {
            assertThat(LABELS[t.positives()[i]]).isEqualTo(LABELS[t.anchors()[i]]);
            assertThat(t.positives()[i]).isNotEqualTo(t.anchors()[i]);
            assertThat(LABELS[t.negatives()[i]]).isNotEqualTo(LABELS[t.anchors()[i]]);
        }
    }

    @Test
    void anchorsWithoutAPositiveAreSkipped() {
        float[][] d = {{0, 1, 2}, {1, 0, 1}, {2, 1, 0}};
        Triplets t = TripletMiner.BATCH_HARD.mine(d, new int[] {0, 0, 1});
        assertThat(t.anchors()).containsExactly(0, 1);
    }

    private static float[][] distances() {
        float[][] d = new float[X.length][X.length];
        for (int i = 0; i < X.length; i++) {
            for (int j = 0; j < X.length; j++) {
                d[i][j] = Math.abs(X[i] - X[j]);
            }
        }
        return d;
    }
}
