package dev.cxr.model;

import dev.cxr.engine.backend.Backend;
import dev.cxr.engine.layers.Activation;
import dev.cxr.engine.layers.Conv2d;
import dev.cxr.engine.layers.Layer;
import dev.cxr.engine.layers.MaxPool2d;
import dev.cxr.engine.layers.Padding;
import dev.cxr.engine.layers.Sequential;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * VGG16 without its top (Keras's {@code include_top=False}): 13 convolutions 3x3, stride 1, 'same',
 * ReLU, in 5 blocks each closed by a 2x2/2 max pool. 224x224x3 in, 512x7x7 out. Layer names are
 * Keras's ({@code block3_conv2}), so loading a Keras weights file is a lookup by name.
 */
public final class Vgg16 {
    /** Input height and width the network was trained at. */
    public static final int INPUT_SIZE = 224;

    /** Output channels of each block's convolutions; block b has this many convs of that width. */
    private static final int[][] BLOCKS = {
        {64, 64},
        {128, 128},
        {256, 256, 256},
        {512, 512, 512},
        {512, 512, 512},
    };

    /** VGG16's channel widths (the real network). */
    public static final int[] STANDARD_WIDTHS = {64, 128, 256, 512, 512};

    private Vgg16() {}

    /** The features network with VGG16's real widths, parameters zero until loaded or initialised. */
    public static Sequential features(Backend backend) {
        return features(backend, STANDARD_WIDTHS);
    }

    /**
     * The features network with the given channel width per block (VGG16's topology, narrower if
     * asked: tests use 8/16/32/32/32).
     */
    public static Sequential features(Backend backend, int[] widths) {
        return features(backend, widths, Padding.SAME);
    }

    /**
     * The features network with the convolutions' padding given: {@link Padding#SAME} is VGG16;
     * {@link Padding#LEADING} computes the top-left corner of VGG16's output only, with the same
     * values (see {@link dev.cxr.model.features.FrozenBase#loadCorner}).
     */
    public static Sequential features(Backend backend, int[] widths, Padding padding) {
        if (widths.length != BLOCKS.length) {
            throw new IllegalArgumentException("VGG16 has 5 blocks, got " + widths.length + " widths");
        }
        List<Layer> layers = new ArrayList<>();
        int in = 3;
        for (int b = 0; b < BLOCKS.length; b++) {
            for (int c = 0; c < BLOCKS[b].length; c++) {
                String name = "block" + (b + 1) + "_conv" + (c + 1);
                layers.add(new Conv2d(backend, name, in, widths[b], 3, 1, padding, Activation.RELU));
                in = widths[b];
            }
            layers.add(new MaxPool2d(backend, "block" + (b + 1) + "_pool", 2, 2));
        }
        return new Sequential("vgg16", layers);
    }

    /** Names of the 13 convolutions in network order. */
    public static List<String> convNames() {
        List<String> names = new ArrayList<>();
        for (int b = 0; b < BLOCKS.length; b++) {
            for (int c = 0; c < BLOCKS[b].length; c++) {
                names.add("block" + (b + 1) + "_conv" + (c + 1));
            }
        }
        return names;
    }

    /** Fills every conv with Keras's default initialisation (random weights, for benchmarks and tests). */
    public static void initialize(Sequential features, RandomGenerator random) {
        for (Layer l : features.layers()) {
            if (l instanceof Conv2d conv) {
                conv.initialize(random);
            }
        }
    }
}
