package dev.imagesim.training.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.unit.DataSize;

import tools.jackson.databind.json.JsonMapper;

import dev.imagesim.DataDirectory;
import dev.imagesim.FashionMnistSubset;
import dev.imagesim.ImagesimException;
import dev.imagesim.TestImages;
import dev.imagesim.TestImages.ShapeKind;
import dev.imagesim.TestLimits;
import dev.imagesim.embedding.ImageDecoder;

/** Datasets open only under the dataset root, whatever the path, link or zip entry says. */
class DatasetLoaderTest {

    @TempDir
    Path dataDir;

    @TempDir
    Path outside;

    DatasetLoader loader;
    Path root;

    @BeforeEach
    void loader() {
        DatasetProperties properties = new DatasetProperties(null, 100, DataSize.ofMegabytes(1));
        loader = new DatasetLoader(properties, new DataDirectory(dataDir), new ImageDecoder(TestLimits.defaults()),
                null, JsonMapper.builder().build(), TestLimits.defaults());
        root = loader.root();
    }

    @Test
    void readsAnImageFolderWithClassesInNameOrder() throws IOException {
        writeFolder(root.resolve("shapes"));
        ImageDataset dataset = loader.load(spec(DatasetType.IMAGEFOLDER, "shapes"), true);
        assertThat(dataset.classes()).containsExactly("circles", "squares");
        assertThat(dataset.size()).isEqualTo(6);
        assertThat(dataset.label(0)).isZero();
        assertThat(dataset.image(5).getWidth()).isEqualTo(40);
    }

    @Test
    void readsIdxFilesFromADirectoryOrAnImagesFile() throws IOException {
        FashionMnistSubset.copyTrainingSet(root.resolve("fm"));
        ImageDataset dataset = loader.load(spec(DatasetType.IDX, "fm"), true);
        assertThat(dataset.size()).isEqualTo(1000);
        assertThat(dataset.classes()).hasSize(10);
        assertThat(dataset.image(0).getWidth()).isEqualTo(28);
        assertThat(loader.load(spec(DatasetType.IDX, "fm/train-images-idx3-ubyte.gz"), true).size()).isEqualTo(1000);
    }

    @Test
    void readsAZipLaidOutLikeAnImageFolder() throws IOException {
        Files.write(root.resolve("shapes.zip"), zip("circles/a.png", "circles/b.png", "squares/c.png"));
        ImageDataset dataset = loader.load(spec(DatasetType.ZIP, "shapes.zip"), true);
        assertThat(dataset.classes()).containsExactly("circles", "squares");
        assertThat(dataset.size()).isEqualTo(3);
    }

    @Test
    void refusesPathsThatLeaveTheRoot() throws IOException {
        Files.createDirectories(outside.resolve("secret"));
        assertCode(() -> loader.check(spec(DatasetType.IMAGEFOLDER, "../../" + outside.getFileName())),
                "dataset-path-outside-root");
        assertCode(() -> loader.check(spec(DatasetType.IMAGEFOLDER, outside.toString())), "dataset-path-outside-root");
        Files.createSymbolicLink(root.resolve("link"), outside);
        assertCode(() -> loader.check(spec(DatasetType.IMAGEFOLDER, "link")), "dataset-path-outside-root");
        assertCode(() -> loader.check(spec(DatasetType.IMAGEFOLDER, "absent")), "dataset-not-found");
    }

    @Test
    void refusesLinksInsideAFolderThatPointOutside() throws IOException {
        writeFolder(root.resolve("shapes"));
        writeFolder(outside);
        Files.createSymbolicLink(root.resolve("shapes/circles/escape.png"), outside.resolve("circles/0.png"));
        assertCode(() -> loader.load(spec(DatasetType.IMAGEFOLDER, "shapes"), true), "dataset-path-outside-root");
    }

    @Test
    void refusesZipSlipEntriesAndZipBombs() throws IOException {
        Files.write(root.resolve("slip.zip"), zip("circles/a.png", "../../evil/b.png"));
        assertCode(() -> loader.load(spec(DatasetType.ZIP, "slip.zip"), true), "zip-entry-unsafe");

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes)) {
            for (int i = 0; i < 3; i++) {
                out.putNextEntry(new ZipEntry("zeros/" + i + ".png"));
                out.write(new byte[600_000]); // 1.8 MB inflated, a few KB compressed; the limit is 1 MB
                out.closeEntry();
            }
        }
        Files.write(root.resolve("bomb.zip"), bytes.toByteArray());
        assertCode(() -> loader.load(spec(DatasetType.ZIP, "bomb.zip"), true), "zip-too-large");
    }

    private static DatasetSpec spec(DatasetType type, String path) {
        return new DatasetSpec(type, path, null, null, null, null);
    }

    private static void assertCode(Runnable action, String code) {
        assertThatThrownBy(action::run).isInstanceOf(ImagesimException.class)
                .extracting(e -> ((ImagesimException) e).code()).isEqualTo(code);
    }

    private static void writeFolder(Path directory) throws IOException {
        for (ShapeKind kind : List.of(ShapeKind.CIRCLE, ShapeKind.SQUARE)) {
            Path classDir = Files.createDirectories(directory.resolve(kind == ShapeKind.CIRCLE ? "circles" : "squares"));
            for (int i = 0; i < 3; i++) {
                Files.write(classDir.resolve(i + ".png"), TestImages.encode(
                        TestImages.shape(kind, java.awt.Color.RED, 40, i * 3), "png"));
            }
        }
    }

    private static byte[] zip(String... entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes)) {
            for (String entry : entries) {
                out.putNextEntry(new ZipEntry(entry));
                out.write(TestImages.png(ShapeKind.CIRCLE, java.awt.Color.BLUE));
                out.closeEntry();
            }
        }
        return bytes.toByteArray();
    }
}
