package dev.imagesim.embedding;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.translate.TranslateException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.imagesim.model.Architecture;
import dev.imagesim.model.ModelBundle;
import dev.imagesim.model.ModelLoader;
import dev.imagesim.model.ModelManifest;
import dev.imagesim.model.ScopedSequentialBlock;
import dev.imagesim.model.TrunkFactory;
import dev.imagesim.model.TrunkFactory.ResidualUnit;

/**
 * Loads a model for serving: a DJL-built network ({@link TrunkFactory}) has every convolution followed by a
 * batch normalisation folded into one {@link FoldedConvolution}, as PyTorch's own inference path
 * ({@code torch.jit.freeze}) does, and the two layers' arrays are freed; a TorchScript module is served as it
 * is. The folded network no longer has the layout of {@link TrunkFactory}'s networks, so its parameters cannot
 * be saved or copied.
 *
 * <p>On the CPU batches go in channels-last ({@link EmbeddingTranslator}) when one pass of seeded images gives
 * the same embeddings that way as in NCHW: libtorch's channels-last kernels are other code than its NCHW
 * ones (libtorch 2.5.1's oneDNN 1×1 convolution gave wrong values on an AMD Zen 5), and a TorchScript module
 * may read its activations' memory as NCHW ({@code view}, {@code as_strided}). A network that disagrees or
 * fails is served NCHW, with a warning.
 */
final class ServingNetwork {

    private static final Logger log = LoggerFactory.getLogger(ServingNetwork.class);

    /** Images in the pass that compares the two layouts. */
    static final int CHECK_IMAGES = 8;

    /** The largest difference between an embedding computed both ways (unit vectors) that counts as the same. */
    static final float TOLERANCE = 1e-3f;

    /** A model loaded for serving, and whether its batches go in channels-last. */
    record Served(Model model, boolean channelsLast) {
    }

    private ServingNetwork() {
    }

    /**
     * Loads and prepares the bundle; the caller owns (and closes) the model. Ends with one garbage collection:
     * DJL reads each parameter into a direct buffer that only a collection frees, however long ago its array
     * was closed, and folding closes the loaded convolutions and batch normalisations. The launchers start the
     * JVM with {@code -XX:+ExplicitGCInvokesConcurrent}, which makes it a concurrent cycle instead of a pause.
     */
    static Served load(ModelLoader loader, ModelBundle bundle) throws IOException {
        Model model = loader.load(bundle);
        try {
            if (!bundle.manifest().architecture().imported()) {
                model.setBlock(fold(model.getBlock(), model.getNDManager()));
            }
            boolean channelsLast = model.getNDManager().getDevice().equals(Device.cpu())
                    && bundle.manifest().architecture() != Architecture.ONNX
                    && channelsLastAgrees(model, bundle.manifest());
            System.gc();
            return new Served(model, channelsLast);
        } catch (RuntimeException e) {
            model.close();
            throw new IOException("cannot prepare model " + bundle.id() + " for serving: " + e.getMessage(), e);
        }
    }

    /** Whether one pass of seeded images gives the same embeddings fed channels-last as fed NCHW. */
    static boolean channelsLastAgrees(Model model, ModelManifest manifest) {
        int values = manifest.channels() * manifest.inputSize() * manifest.inputSize();
        Random random = new Random(manifest.id().hashCode());
        List<float[]> images = new ArrayList<>();
        for (int i = 0; i < CHECK_IMAGES; i++) {
            float[] image = new float[values];
            for (int v = 0; v < values; v++) {
                image[v] = (float) random.nextGaussian();
            }
            images.add(image);
        }
        float[][] nchw;
        float[][] nhwc;
        try (Predictor<List<float[]>, float[][]> plain = model.newPredictor(
                new EmbeddingTranslator(manifest.channels(), manifest.inputSize(), false));
                Predictor<List<float[]>, float[][]> channelsLast = model.newPredictor(
                        new EmbeddingTranslator(manifest.channels(), manifest.inputSize(), true))) {
            nchw = plain.predict(images);
            try {
                nhwc = channelsLast.predict(images);
            } catch (TranslateException | RuntimeException e) {
                log.warn("model {} fails on channels-last input ({}): it is served NCHW", manifest.id(),
                        e.getMessage());
                return false;
            }
        } catch (TranslateException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        float difference = 0;
        for (int i = 0; i < nchw.length; i++) {
            for (int d = 0; d < nchw[i].length; d++) {
                difference = Math.max(difference, Math.abs(nchw[i][d] - nhwc[i][d]));
            }
        }
        if (difference > TOLERANCE) {
            log.warn("model {} embeds differently on channels-last input on this machine (by up to {}): it is "
                    + "served NCHW", manifest.id(), difference);
            return false;
        }
        return true;
    }

    /**
     * The network with each convolution followed by a batch normalisation folded into one; {@code block} must not
     * be used afterwards. Folded arrays live in {@code manager}.
     */
    static Block fold(Block block, NDManager manager) {
        if (block instanceof ResidualUnit) {
            return new ResidualUnit(block.getChildren().values().stream().map(child -> fold(child, manager))
                    .toList());
        }
        if (!(block instanceof SequentialBlock)) {
            return block;
        }
        SequentialBlock folded = block instanceof ScopedSequentialBlock ? new ScopedSequentialBlock()
                : new SequentialBlock();
        List<Block> children = block.getChildren().values();
        for (int i = 0; i < children.size(); i++) {
            Block child = children.get(i);
            Block next = i + 1 < children.size() ? children.get(i + 1) : null;
            if (child instanceof Conv2d conv && next instanceof BatchNorm norm) {
                folded.add(new FoldedConvolution(conv, norm, TrunkFactory.BATCH_NORM_EPSILON, manager));
                conv.getParameters().values().forEach(Parameter::close);
                norm.getParameters().values().forEach(Parameter::close);
                i++;
            } else {
                folded.add(fold(child, manager));
            }
        }
        return folded;
    }
}
