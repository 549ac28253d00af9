package dev.imagesim.model;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.Initializer;

import org.springframework.stereotype.Component;

import dev.imagesim.engine.DjlRuntime;

/**
 * Turns a {@link ModelBundle} into a DJL {@link Model} ready for inference: a TorchScript module read from
 * its {@code .pt} file, or a DJL-built network whose parameters are read from its {@code .params} file.
 */
@Component
public class ModelLoader {

    public static final String PARAMS_FILE = "model.params";
    public static final String TORCHSCRIPT_FILE = "model.pt";

    private final DjlRuntime runtime;

    public ModelLoader(DjlRuntime runtime) {
        this.runtime = runtime;
    }

    /** Loads the bundle for inference; the caller owns (and closes) the returned model. */
    public Model load(ModelBundle bundle) throws IOException {
        return load(bundle, false);
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
        Model model = Model.newInstance(manifest.id(), manifest.architecture() == Architecture.ONNX
                ? DjlRuntime.ONNX_ENGINE : runtime.engine().getEngineName());
        try {
            if (manifest.architecture() == Architecture.ONNX) {
                model.load(bundle.directory(), withoutExtension(manifest.weights(), ".onnx"));
            } else if (manifest.architecture() == Architecture.TORCHSCRIPT) {
                String file = manifest.weights();
                model.load(bundle.directory(), withoutExtension(file, ".pt"),
                        trainable ? Map.of("trainParam", "true") : null);
                if (manifest.head() != null) {
                    model.setBlock(withHead(model, bundle));
                }
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

    /** The stages of a TorchScript bundle's trunk ({@link TorchScriptStages}). */
    public List<String> torchScriptStages(ModelBundle bundle) throws IOException {
        try (Model model = load(bundle)) {
            return TorchScriptStages.stages(TorchScriptStages.trunkOf(model.getBlock()));
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

    private static String withoutExtension(String file, String extension) {
        return file.endsWith(extension) ? file.substring(0, file.length() - extension.length()) : file;
    }

    /** The loaded TorchScript trunk followed by the bundle's linear head, read from its parameter file. */
    private static Block withHead(Model model, ModelBundle bundle) throws IOException, MalformedModelException {
        ModelManifest manifest = bundle.manifest();
        TrunkWithHead network = new TrunkWithHead(model.getBlock(), manifest.head().inputDim(), manifest.embeddingDim());
        network.head().initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, manifest.head().inputDim()));
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(
                Files.newInputStream(bundle.directory().resolve(manifest.head().weights()))))) {
            network.head().loadParameters(model.getNDManager(), in);
        }
        return network;
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
