package dev.imagesim.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

import dev.imagesim.TestEngine;

/**
 * The Java max pooling of inference gives libtorch's result exactly: every window shape the trunks use and
 * a few they do not, odd and non-square planes, NaN (which wins in both), inputs that are views, and the
 * channels-last pooling of served networks, fed channels-last memory (a view of NHWC) or NCHW, in batches
 * smaller than the channels-last threshold (pooled NCHW) and not.
 */
class MaxPoolBlockTest {

    @BeforeAll
    static void engine() {
        TestEngine.start();
    }

    @ParameterizedTest
    @CsvSource({"2, 2, 0, 32, 32", "2, 2, 0, 15, 9", "3, 2, 1, 112, 112", "3, 2, 1, 7, 10", "3, 1, 1, 6, 5",
            "1, 1, 0, 4, 4", "5, 3, 2, 11, 13"})
    void inferenceMatchesLibtorch(int kernel, int stride, int padding, int height, int width) {
        try (NDManager manager = NDManager.newBaseManager()) {
            MaxPoolBlock block = new MaxPoolBlock(kernel, stride, padding);
            NDArray input = manager.randomNormal(new Shape(3, 5, height, width));
            input.set(new NDIndex("1, 2, 0, 0"), Float.NaN);
            input.set(new NDIndex("2, 4, 1, 1"), Float.NaN);
            float[] expected = forward(block, input, true);
            assertThat(forward(block, input, false)).containsExactly(expected);
            NDArray view = manager.randomNormal(new Shape(3, height, width, 5)).transpose(0, 3, 1, 2);
            assertThat(forward(block, view, false)).containsExactly(forward(block, view, true));
            MaxPoolBlock channelsLast = block.channelsLast();
            assertThat(forward(channelsLast, view, false)).containsExactly(forward(block, view, true));
            assertThat(forward(channelsLast, input, false)).containsExactly(expected);
            int images = ServingNetwork.CHANNELS_LAST_FROM;
            NDArray batch = manager.randomNormal(new Shape(images, height, width, 5)).transpose(0, 3, 1, 2);
            batch.set(new NDIndex("1, 2, 0, 0"), Float.NaN);
            float[] pooled = forward(block, batch, true);
            assertThat(forward(channelsLast, batch, false)).containsExactly(pooled);
            NDArray nchw = manager.create(batch.toFloatArray(), batch.getShape());
            assertThat(forward(channelsLast, nchw, false)).containsExactly(pooled);
        }
    }

    @Test
    void aPlaneSmallerThanTheWindowIsRefused() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray input = manager.randomNormal(new Shape(3, 5, 1, 2));
            assertThatThrownBy(() -> forward(new MaxPoolBlock(2, 2, 0), input, false))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void paddingBeyondHalfTheWindowIsRefused() {
        assertThatThrownBy(() -> new PlaneMaxPool(3, 2, 2)).isInstanceOf(IllegalArgumentException.class);
    }

    /** Training takes libtorch's pooling, inference the Java one. */
    private static float[] forward(MaxPoolBlock block, NDArray input, boolean training) {
        NDArray output = block.forward(new ParameterStore(input.getManager(), false), new NDList(input), training)
                .singletonOrThrow();
        assertThat(output.getShape().get(0)).isEqualTo(input.getShape().get(0));
        return output.toFloatArray();
    }
}
