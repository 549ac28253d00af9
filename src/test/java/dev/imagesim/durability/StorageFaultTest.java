package dev.imagesim.durability;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.imagesim.ApiClient.Reply;
import dev.imagesim.Multipart;
import dev.imagesim.RunningService;
import dev.imagesim.TestImages;
import dev.imagesim.TestImages.ShapeKind;

/**
 * Disk faults: an unwritable image store or a full disk refuses the write with a clear 503 or 507, stores
 * nothing and keeps serving; a snapshot that cannot be written leaves the previous one intact, and a
 * restart after the disk is freed finds every acknowledged image. A full disk is a 1 MB tmpfs mounted over
 * the blob and index directories, which needs root; without it that test is skipped and says so.
 */
@ExtendWith(OutputCaptureExtension.class)
class StorageFaultTest {

    @TempDir
    Path dataDir;

    private static byte[] image(int n) {
        return TestImages.encode(TestImages.shape(ShapeKind.values()[n % 4], new Color(n * 7919 % 0xFFFFFF), 48,
                n % 6), "png");
    }

    private static Reply put(RunningService service, String id, int n) {
        return service.multipart("PUT", "/api/v1/collections/c/images/" + id, new Multipart().image("image", image(n)));
    }

    private static void assertRefusedAndNothingStored(RunningService service, Reply reply, int status, String code,
            int size) {
        assertThat(reply.status()).isEqualTo(status);
        assertThat(reply.contentType()).startsWith("application/problem+json");
        assertThat(reply.json().get("code").asString()).isEqualTo(code);
        assertThat(service.get("/api/v1/collections/c").json().get("size").asInt()).isEqualTo(size);
        assertThat(service.get("/actuator/health/liveness").status()).isEqualTo(200);
    }

    @Test
    void anUnwritableImageStoreIsA503AndNothingIsStored() throws IOException {
        try (RunningService service = RunningService.start(dataDir)) {
            assertThat(service.postJson("/api/v1/collections", "{\"name\":\"c\"}").status()).isEqualTo(201);
            assertThat(put(service, "before", 1).status()).isEqualTo(201);
            Path blobs = dataDir.resolve("blobs");
            Path aside = dataDir.resolve("blobs-aside");
            Files.move(blobs, aside);
            Files.writeString(blobs, "a file where the blob directory should be");

            Reply refused = put(service, "refused", 2);
            assertRefusedAndNothingStored(service, refused, 503, "storage-unavailable", 1);
            assertThat(refused.json().get("detail").asString()).doesNotContain(dataDir.toString());
            assertThat(service.get("/api/v1/collections/c/images/refused").status()).isEqualTo(404);
            assertThat(service.postJson("/api/v1/collections/c/search", "{\"id\":\"before\"}").status()).isEqualTo(200);

            Files.delete(blobs);
            Files.move(aside, blobs);
            assertThat(put(service, "after", 2).status()).isEqualTo(201);
        }
    }

    @Test
    void aFullDiskIsA507AndAFailedSnapshotKeepsThePreviousOne(CapturedOutput output) throws Exception {
        Path blobs = Files.createDirectories(dataDir.resolve("blobs"));
        Path indexes = Files.createDirectories(dataDir.resolve("indexes"));
        mountTinyTmpfs(blobs);
        try {
            mountTinyTmpfs(indexes);
            try {
                fillAndRecover(blobs, indexes, output);
            } finally {
                unmount(indexes);
            }
        } finally {
            unmount(blobs);
        }
    }

    private void fillAndRecover(Path blobs, Path indexes, CapturedOutput output) throws Exception {
        String[] args = {"--imagesim.index.snapshot-every-writes=5", "--imagesim.index.snapshot-interval-seconds=1"};
        List<String> stored = new ArrayList<>();
        try (RunningService service = RunningService.start(dataDir, args)) {
            assertThat(service.postJson("/api/v1/collections", "{\"name\":\"c\"}").status()).isEqualTo(201);
            for (int n = 0; n < 6; n++) {
                assertThat(put(service, "i" + n, n).status()).isEqualTo(201);
                stored.add("i" + n);
            }
            Path snapshot = indexes.resolve("c.snapshot");
            assertThat(snapshot).exists();

            Path blobFiller = fill(blobs);
            assertRefusedAndNothingStored(service, put(service, "refused", 100), 507, "storage-full", 6);
            assertThat(service.get("/api/v1/collections/c/images/refused").status()).isEqualTo(404);
            Files.delete(blobFiller);

            byte[] previous = Files.readAllBytes(snapshot);
            Path indexFiller = fill(indexes);
            for (int n = 6; n < 20; n++) {
                assertThat(put(service, "i" + n, n).status()).as("writes go on while snapshots fail").isEqualTo(201);
                stored.add("i" + n);
            }
            int failures = failedSnapshots(output.getAll());
            for (int i = 0; i < 300 && failedSnapshots(output.getAll()) == failures; i++) {
                Thread.sleep(20); // the snapshot timer retries, and fails again
            }
            assertThat(failedSnapshots(output.getAll())).as("a failed retry of the timer").isGreaterThan(failures);
            assertThat(Files.readAllBytes(snapshot)).as("the previous snapshot, untouched").isEqualTo(previous);
            try (Stream<Path> files = Files.list(indexes)) {
                assertThat(files.map(p -> p.getFileName().toString()))
                        .as("no temporary file left behind").containsExactlyInAnyOrder("c.snapshot", "filler");
            }
            service.close(); // the shutdown snapshot fails too
            Files.delete(indexFiller);
        }
        try (RunningService restarted = RunningService.start(dataDir, args)) {
            assertThat(restarted.get("/api/v1/collections/c").json().get("size").asInt()).isEqualTo(stored.size());
            for (String id : stored) {
                Reply hit = restarted.postJson("/api/v1/collections/c/search?k=1", "{\"id\":\"" + id + "\"}");
                assertThat(hit.json().at("/results/0/id").asString()).isEqualTo(id);
            }
        }
    }

    /** Writes zeros until the file system is full; returns the filler file. */
    private static Path fill(Path directory) throws IOException {
        Path filler = directory.resolve("filler");
        byte[] block = new byte[16 * 1024];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(block);
            }
        } catch (IOException full) {
            assertThat(Files.getFileStore(directory).getUsableSpace()).isLessThan(block.length);
        }
        return filler;
    }

    private static void mountTinyTmpfs(Path directory) throws Exception {
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", directory.toString())
                .redirectErrorStream(true).start();
        String message = new String(mount.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (mount.waitFor() != 0) {
            String reason = "cannot mount a 1 MB tmpfs to play a full disk (needs root): " + message + "; skipping";
            System.err.println("SKIPPED: " + reason);
            Assumptions.abort(reason);
        }
    }

    private static void unmount(Path directory) throws Exception {
        new ProcessBuilder("umount", directory.toString()).inheritIO().start().waitFor();
    }

    private static int failedSnapshots(String log) {
        return log.split("cannot write the index snapshot of collection c", -1).length - 1;
    }
}
