package dev.imagesim;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import dev.imagesim.model.ChannelsLast;
import dev.imagesim.model.DjlRuntime;
import dev.imagesim.model.EngineProperties;

/**
 * Engine settings for tests that build DJL objects by hand: the natives cache Maven sets for all tests, and
 * {@code -Dimagesim.engine.threads} where a benchmark sets the thread count.
 */
public final class TestEngine {

    private TestEngine() {
    }

    /**
     * The engine settings for tests: served networks channels-last {@code always} (where the outputs agree,
     * whatever the speed, so that what a test loads does not depend on the machine's timing) unless the system
     * property {@code imagesim.engine.channels-last} says otherwise.
     */
    public static EngineProperties properties() {
        return properties(ChannelsLast.valueOf(
                System.getProperty("imagesim.engine.channels-last", "always").toUpperCase(Locale.ROOT)));
    }

    /** As {@link #properties()}, with the given channels-last setting. */
    public static EngineProperties properties(ChannelsLast channelsLast) {
        String cache = System.getProperty("imagesim.engine.native-cache-dir");
        return new EngineProperties(Integer.getInteger("imagesim.engine.threads", 0),
                cache == null ? null : Path.of(cache), true, "PASSIVE", true, channelsLast);
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
