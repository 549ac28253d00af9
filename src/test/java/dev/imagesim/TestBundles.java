package dev.imagesim;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Model bundle zips for tests: a bundle directory's files, or named contents. */
public final class TestBundles {

    /** The bundle {@code scripts/export_trunk.py test:tiny} wrote: a 3-stage 32-d TorchScript trunk with its probe. */
    public static final Path EXPORTED_TINY = Path.of("src/test/resources/models/exported-tiny");

    private TestBundles() {
    }

    /** The files of a bundle directory by name, in name order. */
    public static Map<String, byte[]> files(Path directory) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        try (Stream<Path> entries = Files.list(directory)) {
            for (Path file : entries.filter(Files::isRegularFile).sorted().toList()) {
                files.put(file.getFileName().toString(), Files.readAllBytes(file));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    public static byte[] zip(Path directory) {
        return zip(files(directory));
    }

    public static byte[] zip(Map<String, byte[]> files) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                zip.putNextEntry(new ZipEntry(file.getKey()));
                zip.write(file.getValue());
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
