package dev.imagesim.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tools.jackson.databind.JsonNode;

import dev.imagesim.Multipart;
import dev.imagesim.RunningService;
import dev.imagesim.TestImages;
import dev.imagesim.TestImages.ShapeKind;

/**
 * The default model can come from a directory, a {@code file:} URL of a zipped bundle (resolved by DJL's
 * repository layer, as {@code djl://} and {@code https://} URLs are on a machine with internet), or a
 * weights-only location plus a separate manifest.
 */
class BundleLocationTest {

    @TempDir
    Path dataDir;

    @TempDir
    Path work;

    @Test
    void aZippedBundleAtAFileUrlBecomesTheDefaultModel() throws Exception {
        Path zip = work.resolve("tiny.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            for (String file : List.of("manifest.json", "trunk.pt")) {
                out.putNextEntry(new ZipEntry(file));
                Files.copy(fixture().resolve(file), out);
                out.closeEntry();
            }
        }
        assertServesTheFixture("--imagesim.model.default-bundle=" + zip.toUri());
    }

    @Test
    void weightsFromOneLocationAndTheManifestFromAnother() throws Exception {
        Path weights = Files.createDirectories(work.resolve("weights-only"));
        Files.copy(fixture().resolve("trunk.pt"), weights.resolve("trunk.pt"));
        assertServesTheFixture("--imagesim.model.default-bundle=" + weights.toUri(),
                "--imagesim.model.default-manifest=" + fixture().resolve("manifest.json"));
    }

    @Test
    void aPlainPathStaysAPath() throws IOException {
        assertThat(BundleLocation.resolve(fixture().toString())).isEqualTo(fixture());
    }

    private void assertServesTheFixture(String... args) {
        try (RunningService service = RunningService.start(dataDir, args)) {
            JsonNode models = service.get("/api/v1/models").json();
            assertThat(models.get(0).get("id").asString()).isEqualTo("tiny-torchscript");
            assertThat(models.get(0).get("isDefault").asBoolean()).isTrue();
            JsonNode embedded = service.multipart("POST", "/api/v1/embeddings", new Multipart()
                    .image("image", TestImages.png(ShapeKind.CIRCLE, java.awt.Color.RED))).json();
            assertThat(embedded.get("dimension").asInt()).isEqualTo(16);
        }
    }

    private static Path fixture() {
        try {
            return Path.of(BundleLocationTest.class.getResource("/models/tiny-torchscript/manifest.json").toURI())
                    .getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
