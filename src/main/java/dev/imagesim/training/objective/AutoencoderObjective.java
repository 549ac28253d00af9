package dev.imagesim.training.objective;

import java.util.Optional;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;

/**
 * Autoencoder: the embedding network is the encoder, a decoder head rebuilds the clean input and the loss
 * is the mean squared reconstruction error. With an MLP trunk the decoder is an MLP; with a convolutional
 * trunk it is a linear layer to a 256×s×s map followed by three stride-2 transposed convolutions
 * ({@link TransposedConvolution}), cropped
 * to the input size. Given a {@link Noise}, the encoder sees a corrupted input (denoising autoencoder,
 * Vincent et al. 2008) while the target stays clean.
 */
public final class AutoencoderObjective implements Objective {

    private static final int[] DECONV_FILTERS = {128, 64};

    private final Block decoder;
    private final Noise noise;
    private final float noiseLevel;

    /**
     * @param convolutional whether to decode with transposed convolutions (else an MLP)
     * @param noise         corruption of the encoder input, or null for a plain autoencoder
     */
    public AutoencoderObjective(boolean convolutional, int channels, int size, Noise noise, float noiseLevel) {
        this.decoder = convolutional ? convDecoder(channels, size) : mlpDecoder(channels, size);
        this.noise = noise;
        this.noiseLevel = noiseLevel;
    }

    @Override
    public Optional<Block> head() {
        return Optional.of(decoder);
    }

    @Override
    public boolean usesLabels() {
        return false;
    }

    @Override
    public NDArray corrupt(NDArray clean) {
        return noise == null ? clean : noise.apply(clean, noiseLevel);
    }

    @Override
    public ObjectiveLoss loss(NDArray embedding, NDArray headOutput, NDArray clean, int[] labels) {
        return ObjectiveLoss.of(headOutput.sub(clean).square().mean());
    }

    private static Block mlpDecoder(int channels, int size) {
        return new SequentialBlock()
                .add(Linear.builder().setUnits(256).build()).add(Activation.reluBlock())
                .add(Linear.builder().setUnits(512).build()).add(Activation.reluBlock())
                .add(Linear.builder().setUnits((long) channels * size * size).build())
                .add(reshape(new Shape(-1, channels, size, size)));
    }

    private static Block convDecoder(int channels, int size) {
        int seed = (size + 7) / 8;
        SequentialBlock decoder = new SequentialBlock()
                .add(Linear.builder().setUnits(256L * seed * seed).build()).add(Activation.reluBlock())
                .add(reshape(new Shape(-1, 256, seed, seed)));
        for (int filters : DECONV_FILTERS) {
            decoder.add(TransposedConvolution.stride2(filters)).add(Activation.reluBlock());
        }
        return decoder.add(TransposedConvolution.stride2(channels))
                .add(LambdaBlock.singleton(x -> x.get(":, :, :" + size + ", :" + size), "crop"));
    }

    private static Block reshape(Shape shape) {
        return new LambdaBlock(list -> new NDList(list.singletonOrThrow().reshape(shape)), "reshape");
    }
}
