package dev.imagesim.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.imagesim.DataDirectory;

class BlobStoreTest {

    @TempDir
    Path dataDir;

    @Test
    void identicalBytesShareOneContentAddressedFile() throws Exception {
        BlobStore blobs = new BlobStore(new DataDirectory(dataDir));
        byte[] bytes = "an image, honestly".getBytes(StandardCharsets.UTF_8);
        String first = blobs.put(bytes);
        String second = blobs.put(bytes.clone());
        assertThat(first).isEqualTo(second).hasSize(64).isEqualTo(BlobStore.sha256(bytes));
        assertThat(blobs.get(first)).isEqualTo(bytes);
        try (var files = Files.walk(dataDir.resolve("blobs"))) {
            assertThat(files.filter(Files::isRegularFile).count()).isEqualTo(1);
        }
        assertThat(blobs.put("other".getBytes(StandardCharsets.UTF_8))).isNotEqualTo(first);
    }
}
