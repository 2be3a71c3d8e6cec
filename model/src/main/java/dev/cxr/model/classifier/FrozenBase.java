package dev.cxr.model.classifier;

import dev.cxr.engine.backend.Backend;
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

/**
 * VGG16 without its top, loaded from a Keras weights file and frozen: it turns preprocessed images
 * into block5_pool features and is never trained. It always runs in inference mode, and only the
 * head is backpropagated through. The channel widths are read from the weights file, so the narrow
 * VGG16 test fixtures work as well as the ImageNet file.
 */
public final class FrozenBase implements AutoCloseable {
    private final Backend backend;
    private final Sequential network;
    private final int[] widths;
    private final Vgg16Weights.Info weights;

    private FrozenBase(Backend backend, Sequential network, int[] widths, Vgg16Weights.Info weights) {
        this.backend = backend;
        this.network = network;
        this.widths = widths;
        this.weights = weights;
    }

    /**
     * Builds VGG16 with the widths the file holds, loads it and freezes it.
     *
     * @throws dev.cxr.engine.CxrException when the file is missing or not VGG16 weights
     */
    public static FrozenBase load(Backend backend, Path weightsFile) {
        int[] widths = probeWidths(weightsFile);
        Sequential net = Vgg16.features(backend, widths);
        try {
            Vgg16Weights.Info info = Vgg16Weights.load(weightsFile, net);
            net.freeze();
            return new FrozenBase(backend, net, widths, info);
        } catch (RuntimeException e) {
            net.close();
            throw e;
        }
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

    /** The features of a batch [N, 3, 224, 224] -> [N, C, 7, 7], owned by the base until its next call. */
    public Tensor forward(Tensor images) {
        return network.forward(images, false);
    }

    /** The output shape for a batch of {@code n} images. */
    public Shape outputShape(int n) {
        return network.outputShape(Shape.of(n, 3, Vgg16.INPUT_SIZE, Vgg16.INPUT_SIZE));
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
        return "FrozenBase(vgg16 " + Arrays.toString(widths) + ", " + weights.file().getFileName() + ")";
    }
}
