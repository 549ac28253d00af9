package dev.imagesim.embedding;

import org.springframework.util.unit.DataSize;

import dev.imagesim.RequestLimits;

/** The default request limits, for tests that build components by hand. */
final class TestLimits {

    private TestLimits() {
    }

    static RequestLimits defaults() {
        return new RequestLimits(DataSize.ofMegabytes(20), 50_000_000, 256, 1000, 4096, DataSize.ofKilobytes(16),
                DataSize.ofMegabytes(512));
    }
}
