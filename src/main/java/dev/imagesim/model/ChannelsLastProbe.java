package dev.imagesim.model;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides when a network is loaded whether it is served as its channels-last twin or as prepared, NCHW (the two
 * built over the same arrays, {@link ModelLoader#loadForServing}): one pass of
 * {@link ServingNetwork#CHANNELS_LAST_FROM} seeded random images fed channels-last to the twin and NCHW to the
 * other must give the same outputs, and under {@link ChannelsLast#AUTO} the channels-last passes must also be
 * no slower. The reference is a block tree of its own because the twin's pooling turns an NCHW pass of that size
 * channels-last. Two things made the outputs differ.
 * A TorchScript module's code is the user's, and code that reads an activation's memory as NCHW ({@code view},
 * {@code as_strided}) fails or answers wrong on NHWC memory. And the engine's channels-last kernels are other
 * code than its NCHW ones: on an AMD Zen 5, libtorch 2.5.1's channels-last 1×1 convolution (oneDNN 3.5.3
 * {@code brgconv_1x1}) gave wrong values for 496, 512, 1024 or 2048 output channels (ResNet-18's and
 * ResNet-50's late stages), and its channels-last ResNets ran at 0.55× the NCHW speed there, where on a Zen 4
 * they ran at 1.06–1.12× (and on another Zen 5, family 26 model 2, right and 1.1–1.3× faster). So the probe
 * covers every network, and speed is measured on the machine that serves.
 * <p>
 * A DJL-built network runs the same kernels on the same shapes whatever its weights, so the verdict for one is
 * kept for the life of the probe and given to the next model of the same architecture, input and embedding size
 * served on as many threads a pass (a fine-tuned copy of the default model) without passes: they take about 5 s
 * for ResNet-50 at 224 px. A TorchScript module is code of its own and is probed every time.
 */
final class ChannelsLastProbe {

    private static final Logger log = LoggerFactory.getLogger(ChannelsLastProbe.class);

    /**
     * The largest difference between the two passes, relative to the largest NCHW output, that counts as the
     * same answer: the two layouts sum in other orders (about 1e-6 of scale on ResNet-50), while memory read
     * in the wrong order, or a wrong kernel, changes values by their own size (0.4–0.7 of scale).
     */
    static final float TOLERANCE = 1e-3f;

    /**
     * How long untimed passes run, alternated, before the timed ones (the two that compare the outputs count):
     * the first passes of a small network run the Java around the engine (pooling, DJL's dispatch) before the JIT
     * has compiled it. On a Zen 5 the small CNN's first three channels-last passes of 8 images took 9.1, 5.3 and
     * 3.4 ms and later ones 2.4-3.5 ms, and a probe that timed those first passes kept NCHW at the start of two
     * JVMs in three, where channels-last was 1.2-1.6x faster there. A ResNet's compared passes alone take longer.
     */
    static final Duration WARM_UP = Duration.ofMillis(250);

    /**
     * Timed passes each way, alternated, at least; a network whose passes are short gets as many as fit in
     * {@link #TIMING} (up to {@link #MAX_TIMED_PASSES}), so that a spike of the shared machine does not decide.
     * The medians are compared.
     */
    static final int TIMED_PASSES = 3;

    /** How long the timed passes run, at least. */
    static final Duration TIMING = Duration.ofMillis(250);

    private static final int MAX_TIMED_PASSES = 64;

    private static final long SEED = 20_261_202L;

    private final boolean timed;
    private final IntraOpThreads threads;
    private final Map<ProbedCase, Verdict> verdicts = new ConcurrentHashMap<>();

    /**
     * A probe that also compares the two layouts' speed if {@code timed} ({@link ChannelsLast#AUTO}), with as
     * many of {@code threads} as a served pass gets ({@link #approves}).
     */
    ChannelsLastProbe(boolean timed, IntraOpThreads threads) {
        this.timed = timed;
        this.threads = threads;
    }

    /**
     * Whether {@code channelsLast} (the twin) is to be served rather than {@code nchw} (the network as prepared):
     * fed channels-last it runs and gives the outputs {@code nchw} gives fed NCHW and, if timed, its passes take
     * no longer on {@code passThreads} intra-op threads; or, for a DJL-built network, what an earlier probe of the
     * same network, input and thread count said. The passes' arrays live in sub-managers of {@code model}. Logs
     * the outcome.
     *
     * @param passThreads the intra-op threads a served pass of {@link ServingNetwork#CHANNELS_LAST_FROM} images
     *                    runs on: one when a call is shared out over one predictor per thread (the default), all
     *                    of them with one predictor. The layouts compare differently on one thread and on two:
     *                    the small CNN's passes of 8 were about even on two threads of a Zen 5 where its passes
     *                    of 16 on one thread ran 1.23-1.41x faster channels-last.
     */
    boolean approves(NDManager model, Block channelsLast, Block nchw, ModelManifest manifest, int passThreads) {
        if (manifest.architecture() == Architecture.TORCHSCRIPT) {
            return probe(model, channelsLast, nchw, manifest, passThreads);
        }
        ProbedCase probed = new ProbedCase(manifest.architecture(), manifest.channels(), manifest.inputSize(),
                manifest.embeddingDim(), passThreads);
        Verdict earlier = verdicts.get(probed);
        if (earlier != null) {
            log.info("model {}: the {} network runs {} from {} images a pass, as the probe of model {} (the same "
                    + "network, input and threads) decided", manifest.id(), manifest.architecture(),
                    earlier.channelsLast() ? "channels-last" : "NCHW", ServingNetwork.CHANNELS_LAST_FROM,
                    earlier.modelId());
            return earlier.channelsLast();
        }
        boolean approved = probe(model, channelsLast, nchw, manifest, passThreads);
        verdicts.putIfAbsent(probed, new Verdict(manifest.id(), approved));
        return approved;
    }

    private boolean probe(NDManager model, Block channelsLast, Block nchw, ModelManifest manifest,
            int passThreads) {
        int images = ServingNetwork.CHANNELS_LAST_FROM;
        int channels = manifest.channels();
        int size = manifest.inputSize();
        float[] values = new float[images * channels * size * size];
        Random random = new Random(SEED);
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        String network = manifest.architecture() == Architecture.TORCHSCRIPT ? "the TorchScript module"
                : "the " + manifest.architecture() + " network";
        try (NDManager manager = model.newSubManager()) {
            NDArray planar = manager.create(values, new Shape(images, channels, size, size));
            NDArray interleaved = manager.create(planar.transpose(0, 2, 3, 1).toFloatArray(),
                    new Shape(images, size, size, channels)).transpose(0, 3, 1, 2);
            long warmingSince = System.nanoTime();
            NDList expected;
            try {
                expected = run(nchw, planar, manager);
            } catch (RuntimeException e) {
                log.warn("model {}: {} fails on a batch of its manifest's input ({}x{}x{}): {}", manifest.id(),
                        network, channels, size, size, firstLine(e.getMessage()));
                return false;
            }
            String difference;
            try {
                difference = difference(expected, run(channelsLast, interleaved, manager));
            } catch (RuntimeException e) {
                difference = "fails: " + firstLine(e.getMessage());
            }
            if (difference != null) {
                String message = "model {}: {} runs NCHW, channels-last it {}";
                if (manifest.architecture() == Architecture.TORCHSCRIPT) {
                    log.info(message, manifest.id(), network, difference);
                } else {
                    log.warn(message + " (an engine kernel on this CPU; served NCHW, correct)", manifest.id(),
                            network, difference);
                }
                return false;
            }
            if (!timed) {
                log.info("model {}: {} runs channels-last from {} images a pass (a probe gave the same outputs "
                        + "both ways; speed not compared)", manifest.id(), network, images);
                return true;
            }
            Timing timing = onThreads(passThreads, () -> {
                while (System.nanoTime() - warmingSince < WARM_UP.toNanos()) {
                    run(nchw, planar, null);
                    run(channelsLast, interleaved, null);
                }
                return timed(nchw, planar, channelsLast, interleaved);
            });
            boolean faster = timing.channelsLastMillis() <= timing.nchwMillis();
            log.info("model {}: {} runs {} from {} images a pass (a probe gave the same outputs both ways; a "
                    + "pass took {} ms NCHW and {} ms channels-last on {} intra-op threads, medians of {})",
                    manifest.id(), network, faster ? "channels-last" : "NCHW", images,
                    String.format("%.1f", timing.nchwMillis()), String.format("%.1f", timing.channelsLastMillis()),
                    passThreads, timing.passes());
            return faster;
        }
    }

    /** Runs {@code passes} with {@code count} intra-op threads on the calling thread, then gives its count back. */
    private Timing onThreads(int count, Supplier<Timing> passes) {
        int before = IntraOpThreads.onThisThread();
        threads.use(count);
        try {
            return passes.get();
        } finally {
            threads.use(before);
        }
    }

    /** What makes two DJL-built networks run the same kernels on the same shapes and threads. */
    private record ProbedCase(Architecture architecture, int channels, int inputSize, int embeddingDim,
            int passThreads) {
    }

    /** A probe's outcome and the model it was made for. */
    private record Verdict(String modelId, boolean channelsLast) {
    }

    /** Median milliseconds of a pass each way, and how many passes each median is of. */
    private record Timing(double nchwMillis, double channelsLastMillis, int passes) {
    }

    /**
     * Times passes of {@code nchw} and of {@code channelsLast}, alternated: {@link #TIMED_PASSES} each at least,
     * more until {@link #TIMING} has passed.
     */
    private static Timing timed(Block nchw, NDArray planar, Block channelsLast, NDArray interleaved) {
        long[][] nanos = new long[2][MAX_TIMED_PASSES];
        long since = System.nanoTime();
        int passes = 0;
        while (passes < MAX_TIMED_PASSES
                && (passes < TIMED_PASSES || System.nanoTime() - since < TIMING.toNanos())) {
            for (int layout = 0; layout < 2; layout++) {
                long start = System.nanoTime();
                run(layout == 0 ? nchw : channelsLast, layout == 0 ? planar : interleaved, null);
                nanos[layout][passes] = System.nanoTime() - start;
            }
            passes++;
        }
        double[] medians = new double[2];
        for (int layout = 0; layout < 2; layout++) {
            Arrays.sort(nanos[layout], 0, passes);
            medians[layout] = nanos[layout][passes / 2] / 1e6;
        }
        return new Timing(medians[0], medians[1], passes);
    }

    /**
     * One pass of {@code input} through {@code block}; its activations are freed when it returns (DJL keeps each
     * one in the input's manager otherwise: gigabytes for ResNet-50 at 224 px). The outputs move to {@code keep},
     * or are freed too if it is null.
     */
    private static NDList run(Block block, NDArray input, NDManager keep) {
        try (NDManager scope = input.getManager().newSubManager()) {
            input.tempAttach(scope);
            NDList outputs = block.forward(new ParameterStore(scope, false), new NDList(input), false);
            if (keep != null) {
                outputs.attach(keep);
            }
            return outputs;
        }
    }

    /** How the channels-last outputs differ from the NCHW ones, or null if they agree. */
    private static String difference(NDList expected, NDList actual) {
        if (expected.size() != actual.size()) {
            return "gives " + actual.size() + " outputs instead of " + expected.size();
        }
        for (int i = 0; i < expected.size(); i++) {
            NDArray want = expected.get(i);
            NDArray got = actual.get(i);
            if (!want.getShape().equals(got.getShape())) {
                return "gives output " + i + " the shape " + got.getShape() + " instead of " + want.getShape();
            }
            if (!want.getDataType().isFloating()) {
                if (!want.contentEquals(got)) {
                    return "gives other values (output " + i + ")";
                }
                continue;
            }
            float scale = want.abs().max().getFloat();
            float off = got.sub(want).abs().max().getFloat();
            if (!(off <= TOLERANCE * scale)) {
                return "gives other values (output " + i + " off by " + off + ", largest value " + scale + ")";
            }
        }
        return null;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no message";
        }
        int end = message.indexOf('\n');
        return end < 0 ? message : message.substring(0, end);
    }
}
