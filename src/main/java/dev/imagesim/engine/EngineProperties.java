package dev.imagesim.engine;

import java.nio.file.Path;

import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the DJL/PyTorch engine ({@code imagesim.engine.*}).
 *
 * @param threads        intra-op threads libtorch may use; 0 leaves libtorch's default (one per core)
 * @param nativeCacheDir where DJL unpacks the PyTorch natives; unset means {@code <data-dir>/djl-cache}
 * @param offline        true (default) forbids DJL any download; set false to fetch a model bundle from a
 *                       remote {@code djl://} or {@code https://} URL. The natives always come from the classpath.
 */
@Validated
@ConfigurationProperties("imagesim.engine")
public record EngineProperties(@DefaultValue("0") @Min(0) int threads, Path nativeCacheDir,
        @DefaultValue("true") boolean offline) {
}
