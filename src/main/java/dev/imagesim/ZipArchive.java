package dev.imagesim;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import dev.imagesim.ImagesimException.Kind;


/**
 * Reads a zip entry by entry: images into memory ({@link #expand}), a model bundle onto disk
 * ({@link #forEachFile}). Sizes are counted while inflating (headers can lie), so a zip bomb stops at the
 * configured limits; a path that would escape the archive (zip-slip: {@code ..}, absolute, drive or backslash
 * paths) is refused before anything is read from it.
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
     * @param maxEntries       files in the archive
     * @param maxEntryBytes    inflated bytes of one file
     * @param maxTotalBytes    inflated bytes of all files
     * @param tooManyCode      problem code when there are more files
     * @param entryTooLargeCode problem code when one file inflates to more bytes
     */
    public record Limits(int maxEntries, long maxEntryBytes, long maxTotalBytes, String tooManyCode,
            String entryTooLargeCode) {

        /** Limits of a zip of images. */
        public Limits(int maxEntries, long maxEntryBytes, long maxTotalBytes) {
            this(maxEntries, maxEntryBytes, maxTotalBytes, "too-many-images", "image-too-large");
        }

        public static Limits of(RequestLimits limits) {
            return new Limits(limits.maxImagesPerRequest(), limits.maxImageSize().toBytes(),
                    limits.maxZipSize().toBytes());
        }
    }

    /** Reads one file of the archive from a stream that ends with the file. */
    @FunctionalInterface
    public interface FileReader {
        void read(String path, InputStream content) throws IOException;
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
        forEachFile(zip, limits, (path, content) -> entries.add(new Entry(path, content.readAllBytes())));
        return entries;
    }

    /**
     * Hands each file of the archive to {@code reader} in archive order, skipping directories, hidden files and
     * macOS resource forks; a file's stream fails with a 413 once the file or the archive passes its limit.
     */
    public static void forEachFile(InputStream zip, Limits limits, FileReader reader) {
        int files = 0;
        Inflated inflated = new Inflated(limits);
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
                if (files++ == limits.maxEntries()) {
                    throw new ImagesimException(Kind.TOO_LARGE, limits.tooManyCode(),
                            "the zip holds more than " + limits.maxEntries() + " files");
                }
                reader.read(path, inflated.next(in, path));
            }
        } catch (IOException | IllegalArgumentException e) {
            throw ImagesimException.invalid("zip-corrupt", "the zip archive cannot be read: " + e.getMessage());
        }
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

    /** Counts the bytes inflated per file and in all, and fails a read that passes a limit. */
    private static final class Inflated {

        private final Limits limits;
        private long total;

        Inflated(Limits limits) {
            this.limits = limits;
        }

        InputStream next(InputStream in, String path) {
            return new FilterInputStream(in) {
                private long read;

                @Override
                public int read() throws IOException {
                    int b = super.read();
                    if (b >= 0) {
                        count(1);
                    }
                    return b;
                }

                @Override
                public int read(byte[] buffer, int offset, int length) throws IOException {
                    int n = super.read(buffer, offset, length);
                    if (n > 0) {
                        count(n);
                    }
                    return n;
                }

                @Override
                public void close() {
                    // the archive's stream goes on to the next file
                }

                private void count(int n) {
                    read += n;
                    total += n;
                    if (read > limits.maxEntryBytes()) {
                        throw new ImagesimException(Kind.TOO_LARGE, limits.entryTooLargeCode(),
                                "zip entry " + path + " inflates to more than " + limits.maxEntryBytes() + " bytes");
                    }
                    if (total > limits.maxTotalBytes()) {
                        throw new ImagesimException(Kind.TOO_LARGE, "zip-too-large",
                                "the zip inflates to more than its allowed total size of " + limits.maxTotalBytes()
                                        + " bytes");
                    }
                }
            };
        }
    }
}
