package dev.imagesim.bundles;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.ExecutorService;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import dev.imagesim.DaemonThreads;
import dev.imagesim.DataDirectory;
import dev.imagesim.ImagesimException;
import dev.imagesim.engine.EngineProperties;
import dev.imagesim.model.BundleLocation;
import dev.imagesim.model.ModelBundle;
import dev.imagesim.model.ModelProperties;
import dev.imagesim.model.ModelProperties.Source;
import dev.imagesim.model.ModelRegistry;

/**
 * Installs the bundles of {@code imagesim.model.sources} once the service is up, one after the other in the
 * background, through the same checks as an upload ({@link BundleImporter}). A {@code file:} or {@code https:}
 * zip must match its {@code sha256} (required for {@code https:}); a {@code file:} directory or a
 * {@code djl://} model-zoo artifact is read with its {@code manifest}. An offline service
 * ({@code imagesim.engine.offline=true}, the default) skips the remote sources with one log line each; a source
 * whose model is installed already is skipped without fetching when it names its {@code id}. A failing source
 * is logged and the others go on: the service serves without it.
 */
@Component
class ModelSources {

    private static final Logger log = LoggerFactory.getLogger(ModelSources.class);

    private final ModelProperties properties;
    private final boolean offline;
    private final BundleImporter importer;
    private final ModelRegistry registry;
    private final Path downloads;

    ModelSources(ModelProperties properties, EngineProperties engine, BundleImporter importer, ModelRegistry registry,
            DataDirectory dataDirectory) {
        this.properties = properties;
        this.offline = engine.offline();
        this.importer = importer;
        this.registry = registry;
        this.downloads = dataDirectory.subdirectory("downloads");
    }

    @EventListener(ApplicationReadyEvent.class)
    void installAtStart() {
        if (properties.sources().isEmpty()) {
            return;
        }
        ExecutorService worker = DaemonThreads.single("model-sources");
        worker.execute(() -> properties.sources().forEach(this::installLogged));
        worker.shutdown();
    }

    private void installLogged(Source source) {
        try {
            install(source);
        } catch (IOException | RuntimeException e) {
            log.error("model source {} not installed: {}", source.url(), e.getMessage());
        }
    }

    void install(Source source) throws IOException {
        if (source.url() == null || source.url().isBlank()) {
            throw new IllegalArgumentException("a model source needs a url");
        }
        if (source.id() != null && registry.find(source.id()).isPresent()) {
            log.info("model source {}: model {} is installed", source.url(), source.id());
            return;
        }
        URI uri = URI.create(source.url());
        String scheme = String.valueOf(uri.getScheme()).toLowerCase(Locale.ROOT);
        if (offline && !scheme.equals("file")) {
            log.warn("model source {} skipped: the service is offline (imagesim.engine.offline=true)", source.url());
            return;
        }
        ModelBundle installed;
        try {
            installed = switch (scheme) {
                case "file" -> fromFile(source, Path.of(uri));
                case "https" -> fromHttps(source, uri);
                case "djl" -> importer.importDirectory(BundleLocation.resolve(source.url()), requireManifest(source));
                default -> throw new IllegalArgumentException("unsupported scheme " + scheme
                        + " (file:, https: or djl://)");
            };
        } catch (ImagesimException e) {
            if (!"model-exists".equals(e.code())) {
                throw e;
            }
            log.info("model source {}: {}", source.url(), e.getMessage());
            return;
        }
        log.info("model source {} installed model {}", source.url(), installed.id());
    }

    private ModelBundle fromFile(Source source, Path path) throws IOException {
        if (Files.isDirectory(path)) {
            return importer.importDirectory(path, source.manifest() != null ? source.manifest()
                    : path.resolve(ModelBundle.MANIFEST_FILE));
        }
        if (source.sha256() != null) {
            requireChecksum(source, path);
        }
        try (InputStream in = Files.newInputStream(path)) {
            return importer.importZip(in);
        }
    }

    private ModelBundle fromHttps(Source source, URI uri) throws IOException {
        if (source.sha256() == null) {
            throw new IllegalArgumentException("an https: source needs its sha256");
        }
        Path file = Files.createTempFile(downloads, "bundle-", ".zip");
        try {
            HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
                    .connectTimeout(Duration.ofSeconds(30)).build();
            HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(uri).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() != 200) {
                response.body().close();
                throw new IOException("GET answered " + response.statusCode());
            }
            try (InputStream body = response.body(); OutputStream out = Files.newOutputStream(file)) {
                long max = properties.maxBundleSize().toBytes();
                byte[] buffer = new byte[1 << 16];
                long total = 0;
                for (int n = body.read(buffer); n >= 0; n = body.read(buffer)) {
                    total += n;
                    if (total > max) {
                        throw new IOException("the download is larger than imagesim.model.max-bundle-size (" + max
                                + " bytes)");
                    }
                    out.write(buffer, 0, n);
                }
            }
            requireChecksum(source, file);
            try (InputStream in = Files.newInputStream(file)) {
                return importer.importZip(in);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while downloading", e);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static Path requireManifest(Source source) {
        if (source.manifest() == null) {
            throw new IllegalArgumentException("a djl:// source holds weights only: give it a manifest");
        }
        return source.manifest();
    }

    private static void requireChecksum(Source source, Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        String actual = HexFormat.of().formatHex(digest.digest());
        if (!actual.equalsIgnoreCase(source.sha256().trim())) {
            throw new IOException("checksum mismatch: sha256 is " + actual + ", the source says " + source.sha256());
        }
    }
}
