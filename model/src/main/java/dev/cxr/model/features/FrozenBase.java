package dev.cxr.model.features;

import dev.cxr.engine.backend.Backend;
import dev.cxr.engine.backend.ConvSpec;
import dev.cxr.engine.backend.PoolSpec;
import dev.cxr.engine.layers.Conv2d;
import dev.cxr.engine.layers.Layer;
import dev.cxr.engine.layers.MaxPool2d;
import dev.cxr.engine.layers.Padding;
import dev.cxr.engine.layers.Sequential;
import dev.cxr.engine.tensor.Shape;
import dev.cxr.engine.tensor.Tensor;
import dev.cxr.model.Vgg16;
import dev.cxr.model.weights.Vgg16Weights;
import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * VGG16 without its top, loaded from a Keras weights file and frozen: it turns preprocessed images
 * into block5_pool features and is never trained. It always runs in inference mode, and only the
 * head is backpropagated through. The channel widths are read from the weights file, so the narrow
 * VGG16 test fixtures work as well as the ImageNet file.
 *
 * <p>{@link #loadCorner} builds the base for a head that reads only the top-left corner of the
 * feature map (the tutorial's 4x4 average pool on the 7x7 map reads rows and columns 0-3): its
 * convolutions pad only the top and left ({@link Padding#LEADING}), so each layer computes exactly
 * the rows and columns the corner depends on, from the top-left 218x218 of each 224x224 image. The
 * values are those of the full network; about a quarter of the arithmetic is skipped.
 */
public final class FrozenBase implements AutoCloseable {
    private final Backend backend;
    private final Sequential network;
    private final int[] widths;
    private final Vgg16Weights.Info weights;
    private final int inputSize;
    private float[] cropped;

    private FrozenBase(Backend backend, Sequential network, int[] widths, Vgg16Weights.Info weights, int inputSize) {
        this.backend = backend;
        this.network = network;
        this.widths = widths;
        this.weights = weights;
        this.inputSize = inputSize;
    }

    /**
     * Builds VGG16 with the widths the file holds, loads it and freezes it.
     *
     * @throws dev.cxr.engine.CxrException when the file is missing or not VGG16 weights
     */
    public static FrozenBase load(Backend backend, Path weightsFile) {
        return load(backend, weightsFile, Padding.SAME, 0);
    }

    /**
     * The base for a head that reads only the top-left {@code rows} x {@code rows} of the full
     * feature map: its output is that corner, with the full network's values.
     *
     * @throws dev.cxr.engine.CxrException when the file is missing or not VGG16 weights
     */
    public static FrozenBase loadCorner(Backend backend, Path weightsFile, int rows) {
        return load(backend, weightsFile, Padding.LEADING, rows);
    }

    private static FrozenBase load(Backend backend, Path weightsFile, Padding padding, int rows) {
        int[] widths = probeWidths(weightsFile);
        Sequential net = Vgg16.features(backend, widths, padding);
        try {
            int size = padding == Padding.SAME ? Vgg16.INPUT_SIZE : inputRowsFor(net, rows);
            Vgg16Weights.Info info = Vgg16Weights.load(weightsFile, net);
            net.freeze();
            return new FrozenBase(backend, net, widths, info, size);
        } catch (RuntimeException e) {
            net.close();
            throw e;
        }
    }

    /** The input rows 0..n-1 that output rows 0..rows-1 of a LEADING-padded network read. */
    static int inputRowsFor(Sequential net, int rows) {
        int full = net.outputShape(Shape.of(1, 3, Vgg16.INPUT_SIZE, Vgg16.INPUT_SIZE))
                .h();
        if (rows < 1 || rows > full) {
            throw new IllegalArgumentException("rows must be in 1.." + full + ", got " + rows);
        }
        int need = rows;
        List<Layer> layers = net.layers();
        for (int i = layers.size() - 1; i >= 0; i--) {
            Layer l = layers.get(i);
            if (l instanceof Conv2d conv) {
                ConvSpec c = conv.spec(Shape.of(1, conv.inChannels(), Vgg16.INPUT_SIZE, Vgg16.INPUT_SIZE));
                need = (need - 1) * c.strideH() - c.padTop() + c.kernelH();
            } else if (l instanceof MaxPool2d pool) {
                PoolSpec p = pool.spec();
                need = (need - 1) * p.strideH() + p.poolH();
            } else {
                throw new IllegalStateException("no receptive field known for " + l);
            }
        }
        return need;
    }

    /**
     * The output channels of each block's first convolution, read from the kernels' shapes (HWIO);
     * VGG16's own widths when the file cannot be read that way (the loader then says what is wrong).
     */
    static int[] probeWidths(Path file) {
        int[] widths = new int[5];
        try (HdfFile h5 = new HdfFile(file)) {
            for (int b = 0; b < 5; b++) {
                Group g = (Group) h5.getChild("block" + (b + 1) + "_conv1");
                String[] names = (String[]) g.getAttribute("weight_names").getData();
                Node kernel = g.getChild(names[0]);
                if (kernel == null) {
                    kernel = g.getByPath(names[0]);
                }
                int[] dims = ((Dataset) kernel).getDimensions();
                widths[b] = dims[3];
            }
            return widths;
        } catch (RuntimeException e) {
            return Vgg16.STANDARD_WIDTHS.clone();
        }
    }

    /** The height and width of the images the base runs on: 224, or 218 for the corner base. */
    public int inputSize() {
        return inputSize;
    }

    /**
     * The features of a batch [N, 3, S, S] (S = {@link #inputSize()}) -> [N, C, 7, 7] (4x4 for the
     * corner base), owned by the base until its next call.
     */
    public Tensor forward(Tensor images) {
        return network.infer(images);
    }

    /**
     * The features of {@code n} preprocessed images given on the host as [n, 3, size, size], size at
     * least {@link #inputSize()}: the top-left S x S of each is uploaded and run.
     */
    public Tensor forward(float[] chw, int n, int size) {
        if (size < inputSize) {
            throw new IllegalArgumentException("images of " + size + "x" + size + " are smaller than the base's input "
                    + inputSize + "x" + inputSize);
        }
        float[] x = chw;
        if (size != inputSize) {
            int s = inputSize;
            if (cropped == null || cropped.length != n * 3 * s * s) {
                cropped = new float[n * 3 * s * s];
            }
            for (int plane = 0; plane < n * 3; plane++) {
                for (int y = 0; y < s; y++) {
                    System.arraycopy(chw, (plane * size + y) * size, cropped, (plane * s + y) * s, s);
                }
            }
            x = cropped;
        }
        try (Tensor t = backend.upload(Shape.of(n, 3, inputSize, inputSize), x)) {
            return forward(t);
        }
    }

    /**
     * The frozen layers themselves, for a caller that needs an intermediate output and a backward
     * pass through the last layers (the class-activation maps of {@code cxr explain} stop at
     * block5_conv3 and go back through block5_pool). Owned by the base: do not close them.
     */
    public Sequential network() {
        return network;
    }

    /** The output shape for a batch of {@code n} images. */
    public Shape outputShape(int n) {
        return network.outputShape(Shape.of(n, 3, inputSize, inputSize));
    }

    /** Channels of the features (512 for VGG16). */
    public int channels() {
        return widths[4];
    }

    public int[] widths() {
        return widths.clone();
    }

    public String md5() {
        return weights.md5();
    }

    public Path file() {
        return weights.file();
    }

    public Backend backend() {
        return backend;
    }

    @Override
    public void close() {
        network.close();
    }

    @Override
    public String toString() {
        return "FrozenBase(vgg16 " + Arrays.toString(widths) + ", "
                + weights.file().getFileName() + ")";
    }
}
