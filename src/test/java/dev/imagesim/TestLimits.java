package dev.imagesim;

import org.springframework.util.unit.DataSize;

/** The default request limits, for tests that build components by hand. */
public final class TestLimits {

    private TestLimits() {
    }

    public static RequestLimits defaults() {
        return new RequestLimits(DataSize.ofMegabytes(20), 50_000_000, 256, 1000, 4096, DataSize.ofKilobytes(16),
                DataSize.ofMegabytes(512), 4096, DataSize.ofMegabytes(1));
    }
}
