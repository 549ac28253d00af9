package dev.imagesim.model;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Model settings ({@code imagesim.model.*}).
 *
 * @param defaultBundle a model bundle directory to use as the default model; unset means the embedded
 *                      default bundle, installed under {@code <data-dir>/models} on first start
 */
@ConfigurationProperties("imagesim.model")
public record ModelProperties(Path defaultBundle) {
}
