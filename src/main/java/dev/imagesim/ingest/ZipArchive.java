package dev.imagesim.ingest;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import dev.imagesim.ImagesimException;
import dev.imagesim.ImagesimException.Kind;
import dev.imagesim.RequestLimits;

/**
 * Expands a zip upload into named images. Sizes are counted while inflating (headers can lie), so a zip
 * bomb stops at the configured total; entry names only name ids and are never used as paths.
 */
public final class ZipArchive {

    /** An entry's base name without extension, and its bytes. */
    public record Entry(String name, byte[] bytes) {
    }

    private static final byte[] MAGIC = {'P', 'K', 3, 4};

    private ZipArchive() {
    }

    public static boolean isZip(byte[] bytes) {
        if (bytes.length < MAGIC.length) {
            return false;
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (bytes[i] != MAGIC[i]) {
                return false;
            }
        }
        return true;
    }

    public static List<Entry> expand(byte[] zip, RequestLimits limits) {
        List<Entry> entries = new ArrayList<>();
        long total = 0;
        long maxTotal = limits.maxZipSize().toBytes();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            ZipEntry entry;
            while ((entry = in.getNextEntry()) != null) {
                String path = entry.getName();
                String file = path.substring(path.lastIndexOf('/') + 1);
                if (entry.isDirectory() || file.isEmpty() || file.startsWith(".") || path.startsWith("__MACOSX/")) {
                    continue;
                }
                if (entries.size() == limits.maxImagesPerRequest()) {
                    throw new ImagesimException(Kind.TOO_LARGE, "too-many-images",
                            "the zip holds more than " + limits.maxImagesPerRequest() + " images");
                }
                byte[] bytes = readBounded(in, limits.maxImageSize().toBytes(), maxTotal - total, path);
                total += bytes.length;
                int dot = file.lastIndexOf('.');
                entries.add(new Entry(dot > 0 ? file.substring(0, dot) : file, bytes));
            }
        } catch (IOException | IllegalArgumentException e) {
            throw ImagesimException.invalid("zip-corrupt", "the zip archive cannot be read: " + e.getMessage());
        }
        return entries;
    }

    private static byte[] readBounded(InputStream in, long maxEntry, long remainingTotal, String name)
            throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[65536];
        long read = 0;
        int n;
        while ((n = in.read(buffer)) > 0) {
            read += n;
            if (read > maxEntry) {
                throw new ImagesimException(Kind.TOO_LARGE, "image-too-large",
                        "zip entry " + name + " inflates to more than " + maxEntry + " bytes");
            }
            if (read > remainingTotal) {
                throw new ImagesimException(Kind.TOO_LARGE, "zip-too-large",
                        "the zip inflates to more than the configured limit (imagesim.limits.max-zip-size)");
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }
}
