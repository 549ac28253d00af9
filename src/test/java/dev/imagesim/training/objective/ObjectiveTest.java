package dev.imagesim.training.objective;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.function.Function;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;

import dev.imagesim.TestEngine;

/**
 * Each objective against values worked out by hand on four 2-d embeddings:
 * e0 = (1, 0), e1 = (0.6, 0.8) of class 0 and e2 = (0, 1), e3 = (0.8, −0.6) of class 1. Their squared
 * distances are 2 − 2·cos: d²(0,1) = 0.8, d²(0,2) = 2, d²(0,3) = 0.4, d²(1,2) = 0.4, d²(1,3) = 2,
 * d²(2,3) = 3.2. A gradient step on the embeddings must lower every loss.
 */
class ObjectiveTest {

    private static final float[] EMBEDDINGS = {1, 0, 0.6f, 0.8f, 0, 1, 0.8f, -0.6f};
    private static final int[] LABELS = {0, 0, 1, 1};

    private NDManager manager;

    @BeforeAll
    static void engine() {
        TestEngine.start();
    }

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    @Test
    void batchHardTripletLossMatchesHandComputation() {
        // a0: p1 (0.8), n3 (0.4) → 0.6; a1: p0, n2 → 0.6; a2: p3 (3.2), n1 (0.4) → 3.0; a3: p2, n0 → 3.0
        ObjectiveLoss loss = new TripletObjective(0.2f, TripletMiner.BATCH_HARD, true)
                .loss(embeddings(1), null, null, LABELS);
        assertThat(loss.value().getFloat()).isCloseTo(1.8f, within(1e-5f));
        assertThat(loss.activeFraction()).isEqualTo(1.0);
    }

    @Test
    void tripletLossIgnoresEmbeddingScaleBecauseItNormalises() {
        TripletObjective objective = new TripletObjective(0.2f, TripletMiner.BATCH_HARD, true);
        assertThat(objective.loss(embeddings(3), null, null, LABELS).value().getFloat())
                .isCloseTo(1.8f, within(1e-5f));
    }

    @Test
    void batchAllAveragesOverActiveTripletsOnly() {
        // with margin 0.2: a0 (p1): n2 → 0.8−2+0.2 < 0, n3 → 0.6; a1 (p0): n2 → 0.6, n3 < 0;
        // a2 (p3): n0 → 1.4, n1 → 3.0; a3 (p2): n0 → 3.0, n1 → 1.4; six of eight active, sum 10.0
        ObjectiveLoss loss = new TripletObjective(0.2f, TripletMiner.BATCH_ALL, true)
                .loss(embeddings(1), null, null, LABELS);
        assertThat(loss.value().getFloat()).isCloseTo(10f / 6, within(1e-5f));
        assertThat(loss.activeFraction()).isEqualTo(0.75);
    }

    @Test
    void plainDistanceTripletUsesUnsquaredDistances() {
        // batch-hard picks the same triplets; a0: √0.8 − √0.4 + 0.2, a2: √3.2 − √0.4 + 0.2 (twice each)
        double expected = ((Math.sqrt(0.8) - Math.sqrt(0.4) + 0.2) * 2 + (Math.sqrt(3.2) - Math.sqrt(0.4) + 0.2) * 2) / 4;
        ObjectiveLoss loss = new TripletObjective(0.2f, TripletMiner.BATCH_HARD, false)
                .loss(embeddings(1), null, null, LABELS);
        assertThat((double) loss.value().getFloat()).isCloseTo(expected, within(1e-5));
    }

    @Test
    void contrastiveLossMatchesHandComputation() {
        // positives (0,1): ½·0.8, (2,3): ½·3.2; negatives within margin 1: (0,3) and (1,2) at √0.4,
        // each ½·(1 − √0.4)²; (0,2), (1,3) at √2 contribute nothing; mean over the six pairs
        double hinge = 0.5 * Math.pow(1 - Math.sqrt(0.4), 2);
        ObjectiveLoss loss = new ContrastiveObjective(1f).loss(embeddings(1), null, null, LABELS);
        assertThat((double) loss.value().getFloat()).isCloseTo((0.4 + 1.6 + 2 * hinge) / 6, within(1e-5));
        assertThat(loss.activeFraction()).isCloseTo(4.0 / 6, within(1e-12));
    }

    @Test
    void selfSupervisedLossIsNtXentOnTheProjectionWithTheOtherViewAsThePositive() {
        // views 0 and 2 are one image, 1 and 3 the other; cosines s01 = 0.6, s02 = 0, s03 = 0.8, s12 = 0.8,
        // s13 = 0, s23 = -0.6; at τ = 1 views 0 and 1 lose −log(1 / (1 + e^0.6 + e^0.8)), views 2 and 3
        // −log(1 / (1 + e^0.8 + e^-0.6)); every view has a stranger nearer than its own other view
        double first = Math.log(1 + Math.exp(0.6) + Math.exp(0.8));
        double second = Math.log(1 + Math.exp(0.8) + Math.exp(-0.6));
        ObjectiveLoss loss = new SelfSupervisedObjective(1f, 2, true).loss(null, embeddings(3), null, LABELS);
        assertThat((double) loss.value().getFloat()).isCloseTo((first + second) / 2, within(1e-5));
        assertThat(loss.activeFraction()).isEqualTo(1.0);
        assertDescends(x -> new SelfSupervisedObjective(0.1f, 2, true).loss(null, x, null, LABELS));
        assertThat(new SelfSupervisedObjective(0.1f, 2, true).head()).as("the projection head").isPresent();
        SelfSupervisedObjective headless = new SelfSupervisedObjective(1f, 2, false);
        assertThat(headless.head()).isEmpty();
        assertThat((double) headless.loss(embeddings(3), null, null, LABELS).value().getFloat())
                .as("the same loss on the embedding itself").isCloseTo((first + second) / 2, within(1e-5));
    }

    @Test
    void softmaxIsMeanCrossEntropy() {
        NDArray logits = manager.create(new float[] {2, 0, 0, 0}, new Shape(2, 2));
        ObjectiveLoss loss = new SoftmaxObjective(2).loss(null, logits, null, new int[] {0, 1});
        double expected = (Math.log(1 + Math.exp(-2)) + Math.log(2)) / 2;
        assertThat((double) loss.value().getFloat()).isCloseTo(expected, within(1e-6));
    }

    @Test
    void centerLossAddsHalfLambdaMeanSquaredDistanceToCentresAndMovesCentresAtRateAlpha() {
        CenterLossObjective objective = new CenterLossObjective(2, 2, 0.5f, 0.5f);
        NDArray x = manager.create(new float[] {1, 0, 0, 2}, new Shape(2, 2));
        NDArray logits = manager.create(new float[] {2, 0, 0, 0}, new Shape(2, 2));
        // centres start at zero: pull = 0.5/2 · (1 + 4)/2 = 0.625
        double crossEntropy = (Math.log(1 + Math.exp(-2)) + Math.log(2)) / 2;
        assertThat((double) objective.loss(x, logits, null, new int[] {0, 1}).value().getFloat())
                .isCloseTo(crossEntropy + 0.625, within(1e-6));

        // Δc0 = (0 − 1, 0)/2 → c0 = (0.25, 0); Δc1 = (0, −2)/2 → c1 = (0, 0.5)
        objective.afterStep(new float[][] {{1, 0}, {0, 2}}, new int[] {0, 1});
        assertThat(objective.centres()[0]).containsExactly(0.25f, 0f);
        assertThat(objective.centres()[1]).containsExactly(0f, 0.5f);
        // two samples of class 0 at (1, 0): Δc0 = 2·(0.25 − 1)/3 = −0.5 → c0 = (0.5, 0); c1 untouched
        objective.afterStep(new float[][] {{1, 0}, {1, 0}}, new int[] {0, 0});
        assertThat(objective.centres()[0][0]).isCloseTo(0.5f, within(1e-6f));
        assertThat(objective.centres()[1]).containsExactly(0f, 0.5f);
    }

    @Test
    void gradientStepsLowerEveryMetricLoss() {
        assertDescends(x -> new TripletObjective(0.2f, TripletMiner.BATCH_HARD, true).loss(x, null, null, LABELS));
        assertDescends(x -> new TripletObjective(0.2f, TripletMiner.SEMI_HARD, true).loss(x, null, null, LABELS));
        assertDescends(x -> new TripletObjective(0.2f, TripletMiner.BATCH_ALL, false).loss(x, null, null, LABELS));
        assertDescends(x -> new ContrastiveObjective(1f).loss(x, null, null, LABELS));
        CenterLossObjective center = new CenterLossObjective(2, 2, 1f, 0.5f);
        center.afterStep(new float[][] {{1, 1}, {-1, -1}}, new int[] {0, 1});
        NDArray logits = manager.create(new float[] {0, 0, 0, 0, 0, 0, 0, 0}, new Shape(4, 2));
        assertDescends(x -> center.loss(x, logits, null, LABELS));
    }

    @Test
    void nearCollapseOnlyPlainDistancesKeepAGradientThatPushesClassesApart() {
        // four embeddings a hair apart: the loss is close to the margin either way, but on squared distances
        // its gradient vanishes with the distances (2·d), so nothing pulls a collapsed embedding out again
        float[] collapsed = {1, 0.001f, 1, -0.001f, 1, 0.002f, 1, -0.002f};
        double plain = gradientNorm(collapsed, new TripletObjective(0.2f, TripletMiner.BATCH_HARD, false));
        double squared = gradientNorm(collapsed, new TripletObjective(0.2f, TripletMiner.BATCH_HARD, true));
        assertThat(plain).isGreaterThan(100 * squared);
    }

    private double gradientNorm(float[] values, Objective objective) {
        NDArray x = manager.create(values, new Shape(4, 2));
        x.setRequiresGradient(true);
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            collector.backward(objective.loss(x, null, null, LABELS).value());
        }
        return x.getGradient().norm().getFloat();
    }

    @Test
    void autoencoderLossIsMeanSquaredReconstructionError() {
        NDArray clean = manager.create(new float[] {0, 1, 2, 3}, new Shape(1, 1, 2, 2));
        NDArray reconstruction = manager.create(new float[] {1, 1, 2, 1}, new Shape(1, 1, 2, 2));
        ObjectiveLoss loss = new AutoencoderObjective(false, 1, 2, null, 0).loss(null, reconstruction, clean, null);
        assertThat(loss.value().getFloat()).isCloseTo((1f + 4f) / 4, within(1e-6f));
    }

    @Test
    void decodersRebuildTheInputShape() {
        for (boolean convolutional : new boolean[] {true, false}) {
            Block decoder = new AutoencoderObjective(convolutional, 3, 28, null, 0).head().orElseThrow();
            decoder.initialize(manager, DataType.FLOAT32, new Shape(2, 16));
            NDArray out = decoder.forward(new ParameterStore(manager, false), new NDList(manager.ones(new Shape(2, 16))),
                    false).singletonOrThrow();
            assertThat(out.getShape()).isEqualTo(new Shape(2, 3, 28, 28));
        }
    }

    @Test
    void zeroInsertionSpreadsPixelsForTheTransposedConvolution() {
        NDArray x = manager.create(new float[] {1, 2, 3, 4}, new Shape(1, 1, 2, 2));
        NDArray spread = TransposedConvolution.insertZeros(x);
        assertThat(spread.getShape()).isEqualTo(new Shape(1, 1, 3, 3));
        assertThat(spread.toFloatArray()).containsExactly(1, 0, 2, 0, 0, 0, 3, 0, 4);
    }

    @Test
    void noiseCorruptsAtTheRequestedLevel() {
        Engine.getInstance().setRandomSeed(7);
        NDArray clean = manager.ones(new Shape(100, 100));
        NDArray masked = Noise.MASKING.apply(clean, 0.3f);
        assertThat((double) masked.eq(0f).countNonzero().getLong() / 10000).isCloseTo(0.3, within(0.03));
        NDArray noisy = Noise.GAUSSIAN.apply(clean, 0.5f);
        assertThat((double) noisy.sub(clean).square().mean().sqrt().getFloat()).isCloseTo(0.5, within(0.03));
        AutoencoderObjective plain = new AutoencoderObjective(true, 1, 8, null, 0);
        assertThat(plain.corrupt(clean)).isSameAs(clean);
    }

    private NDArray embeddings(float scale) {
        return manager.create(EMBEDDINGS, new Shape(4, 2)).mul(scale);
    }

    private void assertDescends(Function<NDArray, ObjectiveLoss> loss) {
        NDArray x = embeddings(1);
        x.setRequiresGradient(true);
        float before;
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray value = loss.apply(x).value();
            before = value.getFloat();
            collector.backward(value);
        }
        NDArray stepped = x.sub(x.getGradient().mul(0.05f));
        float after = loss.apply(stepped).value().getFloat();
        assertThat(after).isLessThan(before);
    }
}
