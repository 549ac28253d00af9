package dev.imagesim.engine;

import java.nio.file.Path;

import ai.djl.engine.Engine;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import dev.imagesim.DataDirectory;

/**
 * Loads the PyTorch engine offline: natives come from the classpath jars, are unpacked below the data
 * directory, and DJL is told not to phone home and, unless {@code imagesim.engine.offline=false} allows
 * fetching a model from a URL, never to download. Every DJL user depends on this bean so the properties are
 * in place before DJL's classes read them.
 *
 * <p>libtorch and glibc read their tuning from the process environment when the process starts
 * ({@code OMP_WAIT_POLICY}, {@code MALLOC_*}), so the JVM cannot set it; the launchers (the Dockerfile,
 * {@code ./mvnw spring-boot:run}, the tests) set {@code OMP_WAIT_POLICY=PASSIVE}, and this warns at start when
 * it is missing.
 */
@Component
public class DjlRuntime {

    private static final Logger log = LoggerFactory.getLogger(DjlRuntime.class);
    /** The DJL engine every model runs on, but imported ONNX graphs. */
    public static final String ENGINE = "PyTorch";
    /** The DJL engine of imported ONNX graphs, which serve but do not train. */
    public static final String ONNX_ENGINE = "OnnxRuntime";

    private final Engine engine;

    public DjlRuntime(DataDirectory dataDirectory, EngineProperties properties) {
        Path cache = properties.nativeCacheDir() != null
                ? properties.nativeCacheDir().toAbsolutePath()
                : dataDirectory.subdirectory("djl-cache");
        System.setProperty("ai.djl.offline", Boolean.toString(properties.offline()));
        System.setProperty("OPT_OUT_TRACKING", "true");
        System.setProperty("ai.djl.default_engine", ENGINE);
        System.setProperty("DJL_CACHE_DIR", cache.toString());
        System.setProperty("ENGINE_CACHE_DIR", cache.toString());
        if (properties.threads() > 0) {
            System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(properties.threads()));
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        }
        String waitPolicy = System.getenv("OMP_WAIT_POLICY");
        if (waitPolicy == null || waitPolicy.isBlank()) {
            log.warn("OMP_WAIT_POLICY is not set: libtorch's idle OpenMP threads will spin on the cores; start the "
                    + "JVM with OMP_WAIT_POLICY=PASSIVE (the Docker image and ./mvnw spring-boot:run do)");
        }
        this.engine = Engine.getEngine(ENGINE);
        log.info("DJL engine {} {} ready (native cache {}, OMP_WAIT_POLICY={})", engine.getEngineName(),
                engine.getVersion(), cache, waitPolicy);
    }

    public Engine engine() {
        return engine;
    }
}
