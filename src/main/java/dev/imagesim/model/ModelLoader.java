package dev.imagesim.model;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.util.Map;


import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.Initializer;

import org.springframework.stereotype.Component;

/**
 * Turns a {@link ModelBundle} into a DJL {@link Model} ready for inference: a TorchScript module read from
 * its {@code .pt} file, or a DJL-built network whose parameters are read from its {@code .params} file.
 */
@Component
public class ModelLoader {

    public static final String PARAMS_FILE = "model.params";
    public static final String TORCHSCRIPT_FILE = "model.pt";

    private final DjlRuntime runtime;
    private final ChannelsLastProbe probe;

    public ModelLoader(DjlRuntime runtime) {
        this.runtime = runtime;
        this.probe = new ChannelsLastProbe(runtime.channelsLast() == ChannelsLast.AUTO, runtime.intraOpThreads());
    }

    /** Loads the bundle for inference; the caller owns (and closes) the returned model. */
    public Model load(ModelBundle bundle) throws IOException {
        return load(bundle, false);
    }

    /**
     * Loads the bundle for serving: as {@link #load}, and a DJL-built network has its batch normalisations
     * folded into the convolutions before them ({@link ServingNetwork}); its block no longer has the layout of
     * {@link TrunkFactory}'s networks, so its parameters cannot be copied or saved. A convolutional network or
     * a TorchScript module on the CPU also gets a channels-last twin over the same arrays, and
     * {@link ChannelsLastProbe} decides which of the two is served, as {@code imagesim.engine.channels-last}
     * says (once per DJL-built architecture, input and embedding size and {@code passThreads} for the life of
     * this loader). Ends with one garbage collection, which frees the direct buffers the load left behind.
     *
     * @param passThreads the intra-op threads a served pass of {@link ServingNetwork#CHANNELS_LAST_FROM} images
     *                    will run on, which the probe times it on
     */
    public Model loadForServing(ModelBundle bundle, int passThreads) throws IOException {
        Model served = preparedForServing(bundle, passThreads);
        releaseDirectBuffers();
        return served;
    }

    /**
     * {@link #loadForServing(ModelBundle, int)} for passes on one intra-op thread each: a call shared out over one
     * predictor per thread, the default.
     */
    public Model loadForServing(ModelBundle bundle) throws IOException {
        return loadForServing(bundle, 1);
    }

    private Model preparedForServing(ModelBundle bundle, int passThreads) throws IOException {
        ModelManifest manifest = bundle.manifest();
        Model model = load(bundle, false);
        try {
            ServingNetwork.prepare(model, manifest.architecture());
        } catch (RuntimeException e) {
            model.close();
            throw new IOException("cannot prepare model " + manifest.id() + " for serving: " + e.getMessage(), e);
        }
        try {
            if (runtime.channelsLast() != ChannelsLast.NEVER
                    && ServingNetwork.mayRunChannelsLast(model, manifest.architecture())) {
                Block twin = ServingNetwork.channelsLastTwin(model.getBlock());
                if (probe.approves(model.getNDManager(), twin, model.getBlock(), manifest, passThreads)) {
                    ServingNetwork.serveChannelsLast(model, twin);
                }
            }
            return model;
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /**
     * DJL reads each parameter from the file into a direct buffer and keeps the array in it; only a garbage
     * collection frees such a buffer, however long ago its array was closed. Folding closes the loaded
     * convolutions and batch normalisations (a ResNet-50's 100 MB), and a quiet service may not collect for
     * hours: one collection per load returns them at once. The image, {@code spring-boot:run} and the tests
     * start the JVM with {@code -XX:+ExplicitGCInvokesConcurrent}, which makes it a concurrent cycle; without
     * it, a full collection (measured 0.21-0.26 s with a heap like that of a million indexed vectors).
     */
    private static void releaseDirectBuffers() {
        System.gc();
    }

    /**
     * Loads the bundle with gradients enabled on a TorchScript module's parameters, for fine-tuning it;
     * the caller owns (and closes) the returned model.
     */
    public Model loadTrainable(ModelBundle bundle) throws IOException {
        return load(bundle, true);
    }

    private Model load(ModelBundle bundle, boolean trainable) throws IOException {
        ModelManifest manifest = bundle.manifest();
        Model model = Model.newInstance(manifest.id(), runtime.engine().getEngineName());
        try {
            if (manifest.architecture() == Architecture.TORCHSCRIPT) {
                String file = manifest.weights();
                model.load(bundle.directory(), file.endsWith(".pt") ? file.substring(0, file.length() - 3) : file,
                        trainable ? Map.of("trainParam", "true") : null);
            } else {
                // every value is read from the file next: zeros spare drawing random weights
                Block block = initialisedNetwork(model, manifest, Initializer.ZEROS);
                try (DataInputStream in = new DataInputStream(
                        new BufferedInputStream(Files.newInputStream(bundle.weightsFile())))) {
                    block.loadParameters(model.getNDManager(), in);
                }
            }
            return model;
        } catch (IOException | MalformedModelException | RuntimeException e) {
            model.close();
            throw new IOException("cannot load model " + manifest.id() + " from " + bundle.directory() + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * Writes a seeded random initialisation of the bundle's network to {@code out}: the same seed gives the
     * same weights, so an untrained default model embeds identically on every machine.
     */
    public void writeSeededWeights(ModelManifest manifest, OutputStream out) throws IOException {
        try (Model model = Model.newInstance(manifest.id(), runtime.engine().getEngineName())) {
            Block block = initialisedNetwork(model, manifest, new SeededInitializer(manifest.initSeed()));
            DataOutputStream data = new DataOutputStream(new BufferedOutputStream(out));
            block.saveParameters(data);
            data.flush();
        }
    }

    private static Block initialisedNetwork(Model model, ModelManifest manifest, Initializer weights) {
        Block block = TrunkFactory.embeddingNetwork(manifest.architecture(), manifest.embeddingDim());
        block.setInitializer(weights, Parameter.Type.WEIGHT);
        model.setBlock(block);
        block.initialize(model.getNDManager(), DataType.FLOAT32,
                new Shape(1, manifest.channels(), manifest.inputSize(), manifest.inputSize()));
        return block;
    }

}
