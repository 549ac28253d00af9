package dev.imagesim.engine;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import dev.imagesim.TestEngine;

/** The NDArray gauge sees arrays held anywhere below the system manager, so a leak shows as a climb. */
class NativeMemoryMetricsTest {

    @Test
    void countsOpenArraysInNestedManagersAndTheirRelease() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        NativeMemoryMetrics metrics = new NativeMemoryMetrics(TestEngine.start(), meters);
        double before = metrics.openArrays();
        try (NDManager outer = NDManager.newBaseManager(); NDManager inner = outer.newSubManager()) {
            NDArray a = outer.zeros(new Shape(3));
            inner.ones(new Shape(2, 2));
            inner.ones(new Shape(1));
            assertThat(metrics.openArrays()).isEqualTo(before + 3);
            a.close();
            assertThat(meters.get("imagesim.djl.ndarrays").gauge().value()).isEqualTo(before + 2);
        }
        assertThat(metrics.openArrays()).isEqualTo(before);
        assertThat(metrics.residentBytes()).isGreaterThan(10_000_000);
    }
}
