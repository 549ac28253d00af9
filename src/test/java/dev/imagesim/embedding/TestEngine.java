package dev.imagesim.embedding;

import java.nio.file.Path;

import dev.imagesim.model.EngineProperties;

/** Engine settings for tests that build DJL objects by hand: the natives cache Maven sets for all tests. */
final class TestEngine {

    private TestEngine() {
    }

    static EngineProperties properties() {
        String cache = System.getProperty("imagesim.engine.native-cache-dir");
        return new EngineProperties(0, cache == null ? null : Path.of(cache));
    }
}
