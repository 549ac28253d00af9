package dev.imagesim;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.imagesim.engine.DjlRuntime;
import dev.imagesim.engine.EngineProperties;

/**
 * Engine settings for tests that build DJL objects by hand: the natives cache Maven sets for all tests, and
 * {@code -Dimagesim.engine.threads} where a benchmark sets the thread count.
 */
public final class TestEngine {

    private TestEngine() {
    }

    public static EngineProperties properties() {
        String cache = System.getProperty("imagesim.engine.native-cache-dir");
        return new EngineProperties(Integer.getInteger("imagesim.engine.threads", 0),
                cache == null ? null : Path.of(cache), true);
    }

    /** Prepares the offline PyTorch engine with a throw-away data directory. */
    public static DjlRuntime start() {
        try {
            return new DjlRuntime(new DataDirectory(Files.createTempDirectory("engine")), properties());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
