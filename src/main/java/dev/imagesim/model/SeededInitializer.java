package dev.imagesim.model;

import java.util.Random;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.initializer.Initializer;

/**
 * He initialisation of weights, {@code N(0, 2 / fan-in)} (the distribution of DJL's default weight
 * initialiser), drawn from a Java generator of the network's own seed instead of libtorch's. libtorch has
 * one generator per process, shared by every thread: a seed set before a network is initialised holds only
 * if nothing else draws from it in between (another job, a model loading on a request thread), and CPU and
 * CUDA draw differently from it. This one gives the same weights for the same seed whatever runs beside it,
 * on every device. Weights are drawn in the order the network initialises its parameters, which is the
 * order of its blocks.
 */
public final class SeededInitializer implements Initializer {

    private final Random random;

    /** For {@code network.setInitializer(new SeededInitializer(seed), Parameter.Type.WEIGHT)}. */
    public SeededInitializer(long seed) {
        this.random = new Random(seed);
    }

    @Override
    public NDArray initialize(NDManager manager, Shape shape, DataType dataType) {
        if (shape.dimension() < 2 || dataType != DataType.FLOAT32) {
            throw new IllegalArgumentException("weights to initialise must be float32 and at least 2-D, not "
                    + dataType + " " + shape);
        }
        long fanIn = shape.get(1) * (shape.dimension() == 2 ? 1 : shape.slice(2).size());
        double deviation = Math.sqrt(2.0 / fanIn);
        float[] values = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (random.nextGaussian() * deviation);
        }
        return manager.create(values, shape);
    }
}
