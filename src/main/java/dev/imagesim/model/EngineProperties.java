package dev.imagesim.model;

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
 */
@Validated
@ConfigurationProperties("imagesim.engine")
public record EngineProperties(@DefaultValue("0") @Min(0) int threads, Path nativeCacheDir) {
}
