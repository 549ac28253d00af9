package dev.imagesim.model;

import java.nio.file.Path;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Model settings ({@code imagesim.model.*}).
 *
 * @param defaultBundle   the default model: a bundle directory, or a URL DJL's repositories resolve
 *                        ({@code file:}, {@code jar:}, {@code https:}, {@code djl://}; a zip is unpacked into
 *                        the DJL cache). Unset means the embedded default bundle, installed under
 *                        {@code <data-dir>/models} on first start.
 * @param defaultManifest a manifest to use with {@code defaultBundle} when that holds weights only, such as a
 *                        TorchScript model of DJL's model zoo; its {@code weights} names the file there
 * @param maxBundleSize   inflated bytes of one uploaded or fetched model bundle (default 600MB, the multipart
 *                        upload limit; raise {@code spring.servlet.multipart.max-file-size} with it)
 * @param sources         bundles to install at start when no model of their id is installed yet
 */
@ConfigurationProperties("imagesim.model")
public record ModelProperties(String defaultBundle, Path defaultManifest,
        @DefaultValue("600MB") DataSize maxBundleSize, List<Source> sources) {

    public ModelProperties {
        sources = sources == null ? List.of() : List.copyOf(sources);
    }

    /**
     * A model bundle to install at start.
     *
     * @param url      a bundle zip ({@code file:} or {@code https:}) or a DJL model-zoo artifact ({@code djl://},
     *                 which holds weights only and needs {@code manifest})
     * @param sha256   hex SHA-256 of the zip; required for {@code https:}, checked when given for {@code file:}
     *                 (DJL checks its own artifacts)
     * @param manifest the manifest for a {@code djl://} artifact; its {@code weights} names the file in it
     * @param id       the model id the bundle installs, to skip fetching it when that model is installed;
     *                 optional, the manifest names it in any case
     */
    public record Source(String url, String sha256, Path manifest, String id) {
    }
}
