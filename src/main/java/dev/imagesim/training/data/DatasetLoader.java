package dev.imagesim.training.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.springframework.stereotype.Component;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.imagesim.DataDirectory;
import dev.imagesim.ImagesimException;
import dev.imagesim.RequestLimits;
import dev.imagesim.catalog.Catalog;
import dev.imagesim.catalog.StoredOriginal;
import dev.imagesim.embedding.ImageDecoder;
import dev.imagesim.ZipArchive;

/** Opens the dataset a training request names, confined to the dataset root. */
@Component
public class DatasetLoader {

    private final DatasetRoot root;
    private final ImageDecoder decoder;
    private final Catalog catalog;
    private final JsonMapper json;
    private final ZipArchive.Limits zipLimits;

    public DatasetLoader(DatasetProperties properties, DataDirectory dataDirectory, ImageDecoder decoder,
            Catalog catalog, JsonMapper json, RequestLimits limits) {
        Path rootPath = properties.datasetRoot() != null ? properties.datasetRoot()
                : dataDirectory.subdirectory("datasets");
        this.root = new DatasetRoot(rootPath);
        this.decoder = decoder;
        this.catalog = catalog;
        this.json = json;
        this.zipLimits = new ZipArchive.Limits(properties.maxZipEntries(), limits.maxImageSize().toBytes(),
                properties.maxZipSize().toBytes());
    }

    public Path root() {
        return root.path();
    }

    /** Checks that the dataset exists and is reachable, without reading it; fails with a 4xx cause. */
    public void check(DatasetSpec spec) {
        if (spec == null || spec.type() == null) {
            throw ImagesimException.invalid("dataset-invalid", "dataset.type is required");
        }
        if (spec.type() == DatasetType.COLLECTION) {
            catalog.collection(spec.path());
        } else {
            root.resolve(spec.path());
        }
    }

    /**
     * The dataset a spec names. {@code labelled}: whether the objective needs labels; without, a collection's
     * images that have no label under the key count too, as one class of their own.
     */
    public ImageDataset load(DatasetSpec spec, boolean labelled) {
        check(spec);
        return switch (spec.type()) {
            case IDX -> IdxDataset.read(root.resolve(spec.path()));
            case IMAGEFOLDER -> folder(root.resolve(spec.path()), spec.path());
            case ZIP -> zip(root.resolve(spec.path()));
            case COLLECTION -> collection(spec.path(), spec.labelKeyOrDefault(), labelled);
        };
    }

    private ImageDataset folder(Path directory, String shownAs) {
        if (!Files.isDirectory(directory)) {
            throw ImagesimException.invalid("dataset-invalid", "an imagefolder dataset must be a directory");
        }
        Map<String, List<EncodedImageDataset.Source>> byClass = new HashMap<>();
        try (Stream<Path> classDirs = Files.list(directory)) {
            for (Path classDir : classDirs.filter(Files::isDirectory).toList()) {
                String className = classDir.getFileName().toString();
                if (className.startsWith(".")) {
                    continue;
                }
                root.confined(classDir, shownAs + "/" + className);
                byClass.put(className, files(classDir, shownAs + "/" + className));
            }
        } catch (IOException e) {
            throw ImagesimException.invalid("dataset-invalid", "cannot list dataset " + shownAs + ": " + e.getMessage());
        }
        return EncodedImageDataset.of(byClass, decoder);
    }

    private List<EncodedImageDataset.Source> files(Path classDir, String shownAs) throws IOException {
        List<EncodedImageDataset.Source> sources = new ArrayList<>();
        try (Stream<Path> files = Files.list(classDir)) {
            for (Path file : files.sorted().toList()) {
                String name = file.getFileName().toString();
                if (name.startsWith(".") || !Files.isRegularFile(file)) {
                    continue;
                }
                Path real = root.confined(file, shownAs + "/" + name);
                sources.add(new FileSource(shownAs + "/" + name, real));
            }
        }
        return sources;
    }

    private ImageDataset zip(Path file) {
        List<ZipArchive.Entry> entries;
        try (InputStream in = Files.newInputStream(file)) {
            entries = ZipArchive.expand(in, zipLimits);
        } catch (IOException e) {
            throw ImagesimException.invalid("dataset-invalid", "cannot read the zip dataset: " + e.getMessage());
        }
        Map<String, List<EncodedImageDataset.Source>> byClass = new HashMap<>();
        for (ZipArchive.Entry entry : entries) {
            if (entry.directory().isEmpty()) {
                throw ImagesimException.invalid("dataset-invalid",
                        "zip entry " + entry.path() + " is not inside a class directory (class/image.png)");
            }
            byClass.computeIfAbsent(entry.directory(), c -> new ArrayList<>()).add(new MemorySource(entry));
        }
        return EncodedImageDataset.of(byClass, decoder);
    }

    private ImageDataset collection(String name, String labelKey, boolean labelled) {
        catalog.collection(name).requireModel();
        Map<String, List<EncodedImageDataset.Source>> byClass = new HashMap<>();
        for (StoredOriginal original : catalog.originals(name)) {
            String label = label(original.metadataJson(), labelKey);
            if (label == null && !labelled) {
                label = "";
            }
            if (label != null) {
                byClass.computeIfAbsent(label, c -> new ArrayList<>()).add(new StoredSource(original));
            }
        }
        if (byClass.isEmpty()) {
            throw ImagesimException.invalid("dataset-empty",
                    "no image of collection '" + name + "' has a metadata value under '" + labelKey + "'");
        }
        return EncodedImageDataset.of(byClass, decoder);
    }

    private String label(String metadataJson, String key) {
        if (metadataJson == null) {
            return null;
        }
        JsonNode value = json.readTree(metadataJson).get(key);
        return value == null || value.isNull() || value.isContainer() ? null : value.asString();
    }

    private record FileSource(String name, Path file) implements EncodedImageDataset.Source {
        @Override
        public byte[] bytes() throws IOException {
            return Files.readAllBytes(file);
        }
    }

    private record MemorySource(ZipArchive.Entry entry) implements EncodedImageDataset.Source {
        @Override
        public String name() {
            return entry.path();
        }

        @Override
        public byte[] bytes() {
            return entry.bytes();
        }
    }

    private final class StoredSource implements EncodedImageDataset.Source {
        private final StoredOriginal original;

        StoredSource(StoredOriginal original) {
            this.original = original;
        }

        @Override
        public String name() {
            return original.id();
        }

        @Override
        public byte[] bytes() throws IOException {
            return catalog.originalBytes(original);
        }
    }
}
