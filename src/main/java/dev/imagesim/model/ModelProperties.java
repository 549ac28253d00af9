package dev.imagesim.model;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Model settings ({@code imagesim.model.*}).
 *
 * @param defaultBundle   the default model: a bundle directory, or a URL DJL's repositories resolve
 *                        ({@code file:}, {@code jar:}, {@code https:}, {@code djl://}; a zip is unpacked into
 *                        the DJL cache). Unset means the embedded default bundle, installed under
 *                        {@code <data-dir>/models} on first start.
 * @param defaultManifest a manifest to use with {@code defaultBundle} when that holds weights only, such as a
 *                        TorchScript model of DJL's model zoo; its {@code weights} names the file there
 */
@ConfigurationProperties("imagesim.model")
public record ModelProperties(String defaultBundle, Path defaultManifest) {
}
