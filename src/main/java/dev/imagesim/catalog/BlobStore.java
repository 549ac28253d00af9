package dev.imagesim.catalog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import org.springframework.stereotype.Component;

import dev.imagesim.AtomicFiles;
import dev.imagesim.DataDirectory;

/**
 * Original image bytes, content-addressed by SHA-256 under {@code <data-dir>/blobs/ab/cd/<hash>}. Identical
 * uploads share one file; a blob is durable (fsynced) before the catalog row that points to it commits.
 */
@Component
public class BlobStore {

    private final Path root;

    public BlobStore(DataDirectory dataDirectory) {
        this.root = dataDirectory.subdirectory("blobs");
    }

    /** Stores the bytes and returns their SHA-256 in hex. */
    public String put(byte[] bytes) {
        String sha = sha256(bytes);
        Path file = path(sha);
        if (!Files.exists(file)) {
            try {
                AtomicFiles.write(file, out -> out.write(bytes));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot store image blob " + sha, e);
            }
        }
        return sha;
    }

    public byte[] get(String sha) throws IOException {
        return Files.readAllBytes(path(sha));
    }

    private Path path(String sha) {
        return root.resolve(sha.substring(0, 2)).resolve(sha.substring(2, 4)).resolve(sha);
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}
