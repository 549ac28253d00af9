package dev.imagesim.embedding;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.imagesim.DataDirectory;
import dev.imagesim.TestEngine;
import dev.imagesim.model.ChannelsLast;
import dev.imagesim.model.DjlRuntime;
import dev.imagesim.model.ModelBundle;
import dev.imagesim.model.ModelLoader;
import dev.imagesim.model.ModelManifest;

/**
 * The served network with {@code imagesim.engine.channels-last} {@code always} against {@code never}, in one JVM,
 * alternating: per architecture, a warm-up of each, then {@code imagesim.bench.rounds} (default 6) rounds of
 * one run each, every run the median milliseconds of its calls at {@code imagesim.bench.batch} images a call
 * (default 32). Prints {@code layout <arch> <batch> <round> <ms on> <ms off> <off / on>}. A call is split
 * over the predictors as served, so a call of 32 runs as passes of 16 with two intra-op threads. {@code always}
 * still serves NCHW a network whose channels-last outputs the load-time probe finds wrong (the ResNets on a
 * Zen 5): the log says so, and that row then compares NCHW with NCHW.
 *
 * <pre>OMP_WAIT_POLICY=PASSIVE MALLOC_ARENA_MAX=1 ./mvnw -Pbench test -Dtest=LayoutBenchmark \
 *   -Dimagesim.engine.threads=2 -Dimagesim.bench.archs=resnet18,resnet50 -Dimagesim.bench.batch=32</pre>
 */
@Tag("benchmark")
class LayoutBenchmark {

    @TempDir
    Path dataDir;

    @Test
    void channelsLastAgainstNchw() throws IOException {
        DjlRuntime runtime = new DjlRuntime(new DataDirectory(dataDir), TestEngine.properties(ChannelsLast.ALWAYS));
        ModelLoader channelsLast = new ModelLoader(runtime);
        ModelLoader nchw = new ModelLoader(
                new DjlRuntime(new DataDirectory(dataDir), TestEngine.properties(ChannelsLast.NEVER)));
        int batch = Integer.getInteger("imagesim.bench.batch", 32);
        int rounds = Integer.getInteger("imagesim.bench.rounds", 6);
        for (String arch : System.getProperty("imagesim.bench.archs", "cnn,resnet18,resnet50").split(",")) {
            EmbeddingBenchmark.Setup setup = EmbeddingBenchmark.Setup.of(arch);
            ModelBundle eager = setup.seededBundle(arch, dataDir.resolve(arch), channelsLast);
            ModelManifest installed = eager.manifest();
            List<BufferedImage> images = setup.images();
            int calls = batch == 1 ? setup.calls1() : setup.calls32();
            int predictors = runtime.intraOpThreads().total();
            try (DjlEmbeddingModel on = new DjlEmbeddingModel(installed, channelsLast.loadForServing(eager),
                    runtime.intraOpThreads(), predictors, 32, null);
                    DjlEmbeddingModel off = new DjlEmbeddingModel(installed, nchw.loadForServing(eager),
                            runtime.intraOpThreads(), predictors, 32, null)) {
                EmbeddingBenchmark.warmUp(on, images, batch);
                EmbeddingBenchmark.warmUp(off, images, batch);
                for (int round = 1; round <= rounds; round++) {
                    double msOn = median(EmbeddingBenchmark.timed(on, images, batch, calls));
                    double msOff = median(EmbeddingBenchmark.timed(off, images, batch, calls));
                    System.out.printf("layout\t%s\t%d\t%d\t%.2f\t%.2f\t%.2f%n", arch, batch, round, msOn, msOff,
                            msOff / msOn);
                }
            }
        }
    }

    private static double median(double[] seconds) {
        Arrays.sort(seconds);
        return seconds[seconds.length / 2] * 1000;
    }
}
