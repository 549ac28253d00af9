package dev.imagesim;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import dev.imagesim.ImagesimException.Kind;


/**
 * Expands a zip of images in memory. Sizes are counted while inflating (headers can lie), so a zip bomb
 * stops at the configured limits; entry paths are never used as file paths, and a path that would escape
 * the archive (zip-slip: {@code ..}, absolute, drive or backslash paths) is refused all the same.
 */
public final class ZipArchive {

    /** An entry's path inside the archive, and its bytes. */
    public record Entry(String path, byte[] bytes) {

        /** The file name without directories and extension. */
        public String name() {
            String file = path.substring(path.lastIndexOf('/') + 1);
            int dot = file.lastIndexOf('.');
            return dot > 0 ? file.substring(0, dot) : file;
        }

        /** The name of the directory holding the entry, or "" at the archive root. */
        public String directory() {
            int slash = path.lastIndexOf('/');
            String parent = slash < 0 ? "" : path.substring(0, slash);
            return parent.substring(parent.lastIndexOf('/') + 1);
        }
    }

    /**
     * @param maxEntries    files in the archive
     * @param maxEntryBytes inflated bytes of one file
     * @param maxTotalBytes inflated bytes of all files
     */
    public record Limits(int maxEntries, long maxEntryBytes, long maxTotalBytes) {

        public static Limits of(RequestLimits limits) {
            return new Limits(limits.maxImagesPerRequest(), limits.maxImageSize().toBytes(),
                    limits.maxZipSize().toBytes());
        }
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

    public static List<Entry> expand(byte[] zip, Limits limits) {
        return expand(new ByteArrayInputStream(zip), limits);
    }

    public static List<Entry> expand(InputStream zip, Limits limits) {
        List<Entry> entries = new ArrayList<>();
        long total = 0;
        try (ZipInputStream in = new ZipInputStream(zip)) {
            ZipEntry entry;
            while ((entry = in.getNextEntry()) != null) {
                String path = entry.getName();
                String file = path.substring(path.lastIndexOf('/') + 1);
                if (entry.isDirectory() || file.isEmpty() || file.startsWith(".") || path.startsWith("__MACOSX/")) {
                    continue;
                }
                if (escapes(path)) {
                    throw ImagesimException.invalid("zip-entry-unsafe",
                            "zip entry " + path + " points outside the archive");
                }
                if (entries.size() == limits.maxEntries()) {
                    throw new ImagesimException(Kind.TOO_LARGE, "too-many-images",
                            "the zip holds more than " + limits.maxEntries() + " images");
                }
                byte[] bytes = readBounded(in, limits.maxEntryBytes(), limits.maxTotalBytes() - total, path);
                total += bytes.length;
                entries.add(new Entry(path, bytes));
            }
        } catch (IOException | IllegalArgumentException e) {
            throw ImagesimException.invalid("zip-corrupt", "the zip archive cannot be read: " + e.getMessage());
        }
        return entries;
    }

    private static boolean escapes(String path) {
        if (path.startsWith("/") || path.contains("\\") || path.contains(":")) {
            return true;
        }
        for (String part : path.split("/")) {
            if (part.equals("..")) {
                return true;
            }
        }
        return false;
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
                        "the zip inflates to more than its allowed total size");
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }
}
