package dev.imagesim.bundles;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import tools.jackson.databind.JsonNode;

import dev.imagesim.RunningService;
import dev.imagesim.TestBundles;

/** {@code imagesim.model.sources}: what installs at start, what an offline service skips, what a checksum stops. */
@ExtendWith(OutputCaptureExtension.class)
class ModelSourcesTest {

    private static final Path FIXTURE = TestBundles.EXPORTED_TINY;

    @TempDir
    Path work;

    @Test
    void sourcesInstallAtStartOfflineOnesAreSkippedAndABadChecksumStopsOne(CapturedOutput output)
            throws IOException, NoSuchAlgorithmException, InterruptedException {
        Path zip = Files.write(work.resolve("tiny.zip"), TestBundles.zip(FIXTURE));
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(zip)));
        Path weightsOnly = Files.createDirectories(work.resolve("artifact"));
        Files.copy(FIXTURE.resolve("model.pt"), weightsOnly.resolve("model.pt"));
        Path manifest = work.resolve("renamed.json");
        Files.writeString(manifest, Files.readString(FIXTURE.resolve("manifest.json"))
                .replace("\"test-tiny\"", "\"tiny-from-directory\""));
        Path forged = work.resolve("forged.zip");
        Files.copy(zip, forged);
        try (OutputStream out = Files.newOutputStream(forged, java.nio.file.StandardOpenOption.APPEND)) {
            out.write(0);
        }

        try (RunningService service = RunningService.start(work.resolve("data"),
                "--imagesim.model.sources[0].url=" + zip.toUri(),
                "--imagesim.model.sources[0].sha256=" + sha,
                "--imagesim.model.sources[1].url=https://models.example.invalid/clip.zip",
                "--imagesim.model.sources[1].sha256=" + sha,
                "--imagesim.model.sources[2].url=djl://ai.djl.pytorch/resnet18_embedding",
                "--imagesim.model.sources[3].url=" + weightsOnly.toUri(),
                "--imagesim.model.sources[3].manifest=" + manifest,
                "--imagesim.model.sources[4].url=" + forged.toUri(),
                "--imagesim.model.sources[4].sha256=" + sha)) {
            Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
            while (!output.getOut().contains("model source " + forged.toUri()) && Instant.now().isBefore(deadline)) {
                Thread.sleep(100);
            }
            List<String> ids = service.get("/api/v1/models").json().valueStream().map(m -> m.get("id").asString())
                    .toList();
            assertThat(ids).contains("test-tiny", "tiny-from-directory");
            JsonNode tiny = service.get("/api/v1/models/test-tiny").json();
            assertThat(tiny.get("embeddingDim").asInt()).isEqualTo(32);
            assertThat(output.getOut()).contains("model source https://models.example.invalid/clip.zip skipped: "
                    + "the service is offline (imagesim.engine.offline=true)");
            assertThat(output.getOut()).contains("model source djl://ai.djl.pytorch/resnet18_embedding skipped");
            assertThat(output.getOut()).contains("model source " + forged.toUri() + " not installed: checksum mismatch");
        }

        try (RunningService again = RunningService.start(work.resolve("data"),
                "--imagesim.model.sources[0].url=" + zip.toUri(), "--imagesim.model.sources[0].id=test-tiny")) {
            Instant deadline = Instant.now().plus(Duration.ofMinutes(1));
            while (!output.getOut().contains("model test-tiny is installed") && Instant.now().isBefore(deadline)) {
                Thread.sleep(100);
            }
            assertThat(output.getOut()).contains("model source " + zip.toUri() + ": model test-tiny is installed");
            assertThat(again.get("/api/v1/models/test-tiny").status()).isEqualTo(200);
        }
    }
}
