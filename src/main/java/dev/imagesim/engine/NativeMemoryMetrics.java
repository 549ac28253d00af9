package dev.imagesim.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import ai.djl.ndarray.NDManager;

import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Gauges that show whether native memory leaks: {@code imagesim.djl.ndarrays}, the NDArrays open anywhere
 * under DJL's system manager (model parameters plus whatever requests and jobs hold right now), and
 * {@code imagesim.process.rss}, the resident set size of the process in bytes (Linux; NaN elsewhere).
 * With no request in flight the NDArray count returns to the same number, however many requests came
 * before; a count that climbs is a leak. Built after {@link DjlRuntime}, which configures the engine.
 */
@Component
public class NativeMemoryMetrics {

    private static final Path STATM = Path.of("/proc/self/statm");
    private static final long PAGE_SIZE = 4096;

    public NativeMemoryMetrics(DjlRuntime runtime, MeterRegistry meters) {
        Gauge.builder("imagesim.djl.ndarrays", this, NativeMemoryMetrics::openArrays)
                .description("NDArrays open under DJL's system manager").register(meters);
        Gauge.builder("imagesim.process.rss", this, NativeMemoryMetrics::residentBytes)
                .description("resident set size of the process").baseUnit("bytes").register(meters);
    }

    /** NDArrays held by every manager below the system manager, counted recursively. */
    public double openArrays() {
        try (NDManager probe = NDManager.newBaseManager()) {
            return probe.getParentManager().getManagedArrays().size();
        }
    }

    public double residentBytes() {
        try {
            String[] fields = Files.readString(STATM).trim().split("\\s+");
            return Long.parseLong(fields[1]) * PAGE_SIZE;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }
}
