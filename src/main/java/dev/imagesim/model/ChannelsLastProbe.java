package dev.imagesim.model;

import java.util.Arrays;
import java.util.Random;

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
 * they ran at 1.06–1.12×. So the probe covers every network, and speed is measured on the machine that serves.
 */
final class ChannelsLastProbe {

    private static final Logger log = LoggerFactory.getLogger(ChannelsLastProbe.class);

    /**
     * The largest difference between the two passes, relative to the largest NCHW output, that counts as the
     * same answer: the two layouts sum in other orders (about 1e-6 of scale on ResNet-50), while memory read
     * in the wrong order, or a wrong kernel, changes values by their own size (0.4–0.7 of scale).
     */
    static final float TOLERANCE = 1e-3f;

    /** Timed passes each way, alternated, after the two that compare the outputs; the medians are compared. */
    static final int TIMED_PASSES = 3;

    private static final long SEED = 20_261_202L;

    private ChannelsLastProbe() {
    }

    /**
     * Whether {@code channelsLast} (the twin) is to be served rather than {@code nchw} (the network as prepared):
     * fed channels-last it runs and gives the outputs {@code nchw} gives fed NCHW and, if {@code timed}, its
     * passes take no longer. The passes' arrays live in sub-managers of {@code model}. Logs the outcome.
     */
    static boolean approves(NDManager model, Block channelsLast, Block nchw, ModelManifest manifest,
            boolean timed) {
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
            double[] millis = medianMillis(nchw, planar, channelsLast, interleaved);
            boolean faster = millis[1] <= millis[0];
            log.info("model {}: {} runs {} from {} images a pass (a probe gave the same outputs both ways; a "
                    + "pass took {} ms NCHW and {} ms channels-last, medians of {})", manifest.id(), network,
                    faster ? "channels-last" : "NCHW", images, String.format("%.1f", millis[0]),
                    String.format("%.1f", millis[1]), TIMED_PASSES);
            return faster;
        }
    }

    /** Median milliseconds of a pass of {@code nchw} and of {@code channelsLast}, the two alternated. */
    private static double[] medianMillis(Block nchw, NDArray planar, Block channelsLast, NDArray interleaved) {
        long[][] nanos = new long[2][TIMED_PASSES];
        for (int pass = 0; pass < TIMED_PASSES; pass++) {
            for (int layout = 0; layout < 2; layout++) {
                long start = System.nanoTime();
                run(layout == 0 ? nchw : channelsLast, layout == 0 ? planar : interleaved, null);
                nanos[layout][pass] = System.nanoTime() - start;
            }
        }
        double[] medians = new double[2];
        for (int layout = 0; layout < 2; layout++) {
            Arrays.sort(nanos[layout]);
            medians[layout] = nanos[layout][TIMED_PASSES / 2] / 1e6;
        }
        return medians;
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
