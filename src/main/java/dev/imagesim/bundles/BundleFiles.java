package dev.imagesim.bundles;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import dev.imagesim.ImagesimException;
import dev.imagesim.ImagesimException.Kind;
import dev.imagesim.ZipArchive;
import dev.imagesim.model.ModelBundle;

/**
 * Unpacks a bundle zip into a directory. A bundle is flat: {@code manifest.json}, one weights file, optionally
 * {@code probe.png} with {@code expected.json} (the embedding the exporter computed for the probe) and text
 * files ({@code README}, {@code LICENSE}, {@code *.txt}, {@code *.md}); all of them may sit in one top-level
 * folder, as {@code zip -r name.zip name/} makes them. Anything else is refused before it is written.
 */
final class BundleFiles {

    /** Weights file extensions and the engines that read them. */
    static final Set<String> WEIGHTS_EXTENSIONS = Set.of(".pt", ".params", ".onnx");
    static final String PROBE_IMAGE = "probe.png";
    static final String PROBE_EMBEDDING = "expected.json";

    /** Weights formats the service cannot read, which deserve a better answer than "unknown file". */
    private static final Set<String> FOREIGN_WEIGHTS = Set.of(".pth", ".pkl", ".bin", ".safetensors",
            ".h5", ".keras", ".pb", ".tflite", ".ckpt", ".mar");
    private static final Pattern TEXT = Pattern.compile("(?i)(readme|license|licence|notice)(\\.[a-z]+)?|.+\\.(txt|md)");
    private static final int MAX_FILES = 16;

    private BundleFiles() {
    }

    static void unpack(InputStream zip, Path directory, long maxBytes) {
        Set<String> names = new HashSet<>();
        Set<String> folders = new HashSet<>();
        ZipArchive.forEachFile(zip, new ZipArchive.Limits(MAX_FILES, maxBytes, maxBytes, "bundle-too-many-files",
                "bundle-too-large"), (path, content) -> {
                    String[] parts = path.split("/");
                    if (parts.length > 2) {
                        throw layout("bundle files sit at the top of the zip or in one folder; " + path
                                + " is nested deeper");
                    }
                    folders.add(parts.length == 2 ? parts[0] : "");
                    if (folders.size() > 1) {
                        throw layout("bundle files sit at the top of the zip or in one folder; " + path
                                + " is in another");
                    }
                    String name = parts[parts.length - 1];
                    if (FOREIGN_WEIGHTS.contains(extension(name))) {
                        throw new ImagesimException(Kind.UNSUPPORTED_MEDIA, "bundle-format-unsupported", "weights in "
                                + extension(name) + " (" + name + ") cannot be served: a bundle holds TorchScript "
                                + "(.pt), ONNX (.onnx) or DJL (.params) weights; scripts/export_trunk.py makes "
                                + "TorchScript from a PyTorch model");
                    }
                    if (!allowed(name)) {
                        throw new ImagesimException(Kind.UNPROCESSABLE, "bundle-unknown-file", "the bundle holds "
                                + name + ", which is neither manifest.json, weights (" + String.join(", ",
                                        WEIGHTS_EXTENSIONS) + "), " + PROBE_IMAGE + ", " + PROBE_EMBEDDING
                                + " nor a text file");
                    }
                    if (!names.add(name.toLowerCase(Locale.ROOT))) {
                        throw layout("the bundle holds " + name + " twice");
                    }
                    Files.copy(content, directory.resolve(name));
                });
        if (names.isEmpty()) {
            throw ImagesimException.invalid("zip-corrupt", "the bundle is not a zip archive, or an empty one");
        }
        if (!names.contains(ModelBundle.MANIFEST_FILE)) {
            throw layout("the bundle has no " + ModelBundle.MANIFEST_FILE);
        }
    }

    static boolean isWeights(String name) {
        return WEIGHTS_EXTENSIONS.contains(extension(name));
    }

    static String extension(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot).toLowerCase(Locale.ROOT);
    }

    private static boolean allowed(String name) {
        return name.equals(ModelBundle.MANIFEST_FILE) || name.equals(PROBE_IMAGE) || name.equals(PROBE_EMBEDDING)
                || isWeights(name) || TEXT.matcher(name).matches();
    }

    private static ImagesimException layout(String message) {
        return new ImagesimException(Kind.UNPROCESSABLE, "bundle-layout", message);
    }

    /** Copies a directory's files (a DJL artifact) into the staging directory, under the same rules. */
    static void copy(Path source, Path directory) throws IOException {
        try (var files = Files.list(source)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String name = file.getFileName().toString();
                if (isWeights(name) || name.equals(PROBE_IMAGE) || name.equals(PROBE_EMBEDDING)) {
                    Files.copy(file, directory.resolve(name));
                }
            }
        }
    }
}
