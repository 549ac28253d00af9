package dev.imagesim.catalog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import org.springframework.stereotype.Component;

import dev.imagesim.AtomicFiles;
import dev.imagesim.DataDirectory;
import dev.imagesim.ImagesimException;
import dev.imagesim.ImagesimException.Kind;

/**
 * Original image bytes, content-addressed by SHA-256 under {@code <data-dir>/blobs/ab/cd/<hash>}. Identical
 * uploads share one file; a blob is durable (fsynced) before the catalog row that points to it commits.
 */
@Component
public class BlobStore {

    private static final long FULL_MARGIN = 64 * 1024;

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
                throw storageFailure(bytes.length, e);
            }
        }
        return sha;
    }

    /**
     * A failed blob write as the client should see it: 507 when the disk is full, 503 when the directory
     * cannot be written; the image is not stored and the database is not touched.
     */
    private ImagesimException storageFailure(long bytes, IOException e) {
        if (usableSpace() < bytes + FULL_MARGIN || String.valueOf(e.getMessage()).contains("No space left")) {
            return new ImagesimException(Kind.STORAGE_FULL, "storage-full",
                    "the image store is out of disk space; the image was not stored", e);
        }
        return new ImagesimException(Kind.UNAVAILABLE, "storage-unavailable",
                "the image store cannot be written; the image was not stored (the server log has the cause)", e);
    }

    private long usableSpace() {
        try {
            return Files.getFileStore(root).getUsableSpace();
        } catch (IOException e) {
            return Long.MAX_VALUE;
        }
    }

    public byte[] get(String sha) throws IOException {
        return Files.readAllBytes(path(sha));
    }

    private Path path(String sha) {
        return root.resolve(sha.substring(0, 2)).resolve(sha.substring(2, 4)).resolve(sha);
    }

    /** The SHA-256 of {@code bytes} in hex: the name a blob is stored under. */
    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}
