package dev.imagesim.model;

import java.nio.file.Path;

import ai.djl.engine.Engine;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import dev.imagesim.DataDirectory;

/**
 * Loads the PyTorch engine offline: natives come from the classpath jars, are unpacked below the data
 * directory, and DJL is told not to phone home and, unless {@code imagesim.engine.offline=false} allows
 * fetching a model from a URL, never to download. Every DJL user depends on this
 * bean so the properties are in place before DJL's classes read them, and the native environment
 * ({@link NativeEnvironment}) before libtorch loads.
 */
@Component
public class DjlRuntime {

    private static final Logger log = LoggerFactory.getLogger(DjlRuntime.class);
    static final String ENGINE = "PyTorch";

    private final Engine engine;
    private final IntraOpThreads intraOpThreads;
    private final ChannelsLast channelsLast;

    public DjlRuntime(DataDirectory dataDirectory, EngineProperties properties) {
        Path cache = properties.nativeCacheDir() != null
                ? properties.nativeCacheDir().toAbsolutePath()
                : dataDirectory.subdirectory("djl-cache");
        System.setProperty("ai.djl.offline", Boolean.toString(properties.offline()));
        System.setProperty("OPT_OUT_TRACKING", "true");
        System.setProperty("DJL_CACHE_DIR", cache.toString());
        System.setProperty("ENGINE_CACHE_DIR", cache.toString());
        if (properties.threads() > 0) {
            System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(properties.threads()));
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        }
        String waitPolicy = NativeEnvironment.apply(properties);
        this.engine = Engine.getEngine(ENGINE);
        this.intraOpThreads = IntraOpThreads.bind();
        this.channelsLast = properties.channelsLast();
        log.info("DJL engine {} {} ready (native cache {}, OMP_WAIT_POLICY={}, malloc tuned: {}, {} intra-op "
                + "threads, per call adjustable: {}, served networks channels-last: {})", engine.getEngineName(),
                engine.getVersion(), cache, waitPolicy, properties.tuneMalloc(), intraOpThreads.total(),
                intraOpThreads.adjustable(), channelsLast);
    }

    public Engine engine() {
        return engine;
    }

    public IntraOpThreads intraOpThreads() {
        return intraOpThreads;
    }

    /** When served networks run on channels-last activations. */
    public ChannelsLast channelsLast() {
        return channelsLast;
    }
}
