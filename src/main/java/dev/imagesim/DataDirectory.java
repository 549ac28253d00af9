package dev.imagesim;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The service's data directory ({@code imagesim.data-dir}, environment {@code IMAGESIM_DATA_DIR}):
 * database file, image blobs, index snapshots, model bundles and the DJL native cache live below it.
 */
@ConfigurationProperties("imagesim")
public record DataDirectory(@DefaultValue("./data") Path dataDir) {

    public DataDirectory {
        dataDir = dataDir.toAbsolutePath().normalize();
    }

    /** Resolves {@code name} below the data directory and creates it as a directory. */
    public Path subdirectory(String name) {
        Path dir = dataDir.resolve(name);
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create data directory " + dir, e);
        }
    }
}
