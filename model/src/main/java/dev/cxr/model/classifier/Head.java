package dev.cxr.model.classifier;

import dev.cxr.engine.backend.Backend;
import dev.cxr.engine.layers.Activation;
import dev.cxr.engine.layers.AveragePool2d;
import dev.cxr.engine.layers.Dense;
import dev.cxr.engine.layers.Dropout;
import dev.cxr.engine.layers.Flatten;
import dev.cxr.engine.layers.Layer;
import dev.cxr.engine.layers.Parameter;
import dev.cxr.engine.layers.Sequential;
import dev.cxr.engine.layers.Softmax;
import dev.cxr.engine.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The tutorial's classification head on VGG16's block5_pool features:
 * {@code AveragePooling2D(4x4) -> Flatten -> Dense(64, relu) -> Dropout(0.5) -> Dense(classes, softmax)},
 * with Keras's layer names ({@code dense}, {@code dense_1}) so its weights save to and load from a
 * Keras model by name.
 *
 * <p>The pool is faithful to the tutorial: 4x4 with stride 4 and 'valid' padding on the 7x7 map
 * gives one window, rows and columns 0-3; rows and columns 4-6 never reach the head. So training
 * and the classifier feed it only that 4x4 corner ({@code FrozenBase.loadCorner}), on which the
 * same pool gives the same single window and the same values.
 */
public final class Head implements AutoCloseable {
    public static final String DENSE = "dense";
    public static final String DENSE_1 = "dense_1";
    public static final int HIDDEN_UNITS = 64;
    public static final int POOL = 4;
    /** VGG16's block5_pool map: 7x7 for 224x224 images. */
    public static final int FEATURE_SIZE = 7;

    /**
     * How many rows (and columns) from the top-left of a featureSize x featureSize map the head's
     * pool reads: its 'valid' windows of POOL with stride POOL cover only those (4 of 7).
     */
    public static int featureRowsRead(int featureSize) {
        if (featureSize < POOL) {
            throw new IllegalArgumentException("the head's " + POOL + "x" + POOL + " pool needs a map of at least "
                    + POOL + "x" + POOL + ", got " + featureSize + "x" + featureSize);
        }
        return ((featureSize - POOL) / POOL + 1) * POOL;
    }

    /** The tutorial's dropout rate. */
    public static final float DROPOUT = 0.5f;

    private final Sequential network;
    private final Dense dense;
    private final Dense dense1;
    private final int channels;
    private final int classes;
    private final boolean withPool;

    private Head(
            Backend backend,
            int channels,
            int classes,
            float dropoutRate,
            RandomGenerator dropoutRandom,
            boolean withPool) {
        if (classes < 2) {
            throw new IllegalArgumentException("a classifier needs at least 2 classes, got " + classes);
        }
        this.channels = channels;
        this.classes = classes;
        this.withPool = withPool;
        List<Layer> layers = new ArrayList<>();
        if (withPool) {
            layers.add(new AveragePool2d(backend, "average_pooling2d", POOL, POOL));
            layers.add(new Flatten(backend, "flatten"));
        }
        dense = new Dense(backend, DENSE, channels, HIDDEN_UNITS, Activation.RELU);
        dense1 = new Dense(backend, DENSE_1, HIDDEN_UNITS, classes, Activation.LINEAR);
        layers.add(dense);
        layers.add(new Dropout(backend, "dropout", dropoutRate, dropoutRandom));
        layers.add(dense1);
        layers.add(new Softmax(backend, "softmax"));
        network = new Sequential("head", layers);
    }

    /**
     * The tutorial's head on [N, channels, h, w] block5_pool features: the full 7x7 map, or the 4x4
     * corner that is all its pool reads (what training and the classifier give it).
     */
    public static Head faithful(
            Backend backend, int channels, int classes, float dropoutRate, RandomGenerator dropoutRandom) {
        return new Head(backend, channels, classes, dropoutRate, dropoutRandom, true);
    }

    /**
     * The same head without its pool and flatten, on features already average-pooled to
     * [N, channels] (the Keras trace records such features).
     */
    public static Head onPooled(
            Backend backend, int channels, int classes, float dropoutRate, RandomGenerator dropoutRandom) {
        return new Head(backend, channels, classes, dropoutRate, dropoutRandom, false);
    }

    /** Keras's fresh initialisation: Glorot-uniform kernels (dense, then dense_1), zero biases. */
    public Head initialize(RandomGenerator random) {
        dense.initialize(random);
        dense1.initialize(random);
        return this;
    }

    public Sequential network() {
        return network;
    }

    public Dense dense() {
        return dense;
    }

    public Dense dense1() {
        return dense1;
    }

    public int channels() {
        return channels;
    }

    public int classes() {
        return classes;
    }

    /** True for {@link #onPooled}: no pool of its own, it takes [N, channels]. */
    public boolean expectsPooledFeatures() {
        return !withPool;
    }

    /**
     * The layers in Keras's words, read from the network itself, e.g. {@code AveragePooling2D(4x4) >
     * Flatten > Dense(64, relu) > Dropout(0.5) > Dense(2, softmax)}: the softmax is said as the last
     * Dense's activation, as Keras declares it.
     *
     * @param kerasNames whether each Dense is followed by its Keras layer name ({@code 'dense'}), as
     *                   {@code model.h5} records it
     */
    public String describe(boolean kerasNames) {
        List<Layer> layers = network.layers();
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            boolean softmaxNext = i + 1 < layers.size() && layers.get(i + 1) instanceof Softmax;
            if (l instanceof AveragePool2d) {
                parts.add("AveragePooling2D(" + POOL + "x" + POOL + ")");
            } else if (l instanceof Flatten) {
                parts.add("Flatten");
            } else if (l instanceof Dense d) {
                // a Dense keeps its activation to itself; this head gave dense its ReLU and dense_1 none
                String activation = softmaxNext ? "softmax" : d == dense ? "relu" : "linear";
                parts.add("Dense(" + d.units() + ", " + activation + ")" + (kerasNames ? " '" + d.name() + "'" : ""));
            } else if (l instanceof Dropout d) {
                parts.add("Dropout(" + d.rate() + ")");
            } else if (!(l instanceof Softmax)) {
                throw new IllegalStateException("no Keras name for " + l);
            }
        }
        return String.join(" > ", parts);
    }

    public List<Parameter> parameters() {
        return network.parameters();
    }

    /** Class probabilities [N, classes], inference mode (no dropout), copied to the host. */
    public float[] probabilities(Tensor features, Backend backend) {
        return backend.download(network.forward(features, false));
    }

    @Override
    public void close() {
        network.close();
    }
}
