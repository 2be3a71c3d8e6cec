package dev.cxr.model.weights;

import dev.cxr.engine.CxrException;
import dev.cxr.engine.backend.cpu.ReferenceBackend;
import dev.cxr.engine.io.KerasLayerWeights;
import dev.cxr.engine.io.KerasWeights;
import dev.cxr.engine.io.KerasWeightsLoader;
import dev.cxr.engine.io.KerasWeightsReader;
import dev.cxr.engine.layers.Sequential;
import dev.cxr.model.Vgg16;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * Loads VGG16's convolution weights from a Keras HDF5 weights file (Keras 1 or 2 layout, with or
 * without the top) into the features network, after checking that the file is VGG16's: the 13
 * convolutions by their Keras names with VGG16's shapes (or the narrower widths the network was
 * built with), nothing of another network. A wrong file is one line, and the network is untouched.
 */
public final class Vgg16Weights {
    /** md5 of Keras's vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5. */
    public static final String IMAGENET_NOTOP_MD5 = "6d6bbae143d832006294945121d1f1fc";
    /** The official file's name, as Keras caches it. */
    public static final String IMAGENET_NOTOP_FILE = "vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5";
    /** The official file's size in bytes. */
    public static final long IMAGENET_NOTOP_SIZE = 58_889_256L;
    /** Where Keras downloads it from. */
    public static final String IMAGENET_NOTOP_URL =
            "https://storage.googleapis.com/tensorflow/keras-applications/vgg16/" + IMAGENET_NOTOP_FILE;

    /** The dense layers of the with-top file; the features network ignores them. */
    private static final Set<String> TOP_LAYERS = Set.of("fc1", "fc2", "predictions");

    /** What was loaded: the file and its md5 (recorded in saved models). */
    public record Info(Path file, String md5) {}

    /**
     * What {@code cxr weights verify} found: the layout is VGG16's (otherwise {@link #verify} throws),
     * the md5, whether it is the official ImageNet file, and whether the file also holds the top.
     */
    public record Verification(Path file, String md5, boolean official, boolean withTop, String kerasVersion) {}

    private Vgg16Weights() {}

    /**
     * Reads and checks the whole file, then sets every convolution of {@code features}.
     *
     * @throws CxrException one line naming the file and the layer; {@code features} is unchanged
     */
    public static Info load(Path file, Sequential features) {
        KerasWeights weights = read(file);
        KerasWeightsLoader.Plan plan = KerasWeightsLoader.plan(weights, features);
        plan.apply();
        return new Info(file, md5(file));
    }

    /**
     * Checks a file's layout against VGG16's real widths and computes its md5.
     *
     * @throws CxrException when the layout is wrong, naming the layer
     */
    public static Verification verify(Path file) {
        return verifyLayout(file, Vgg16.STANDARD_WIDTHS);
    }

    /** {@link #verify} against VGG16 with the given channel widths per block (narrow test networks). */
    public static Verification verifyLayout(Path file, int[] widths) {
        KerasWeights weights = read(file);
        try (ReferenceBackend backend = new ReferenceBackend();
                Sequential features = Vgg16.features(backend, widths)) {
            KerasWeightsLoader.plan(weights, features);
        }
        String md5 = md5(file);
        boolean withTop = weights.layersWithWeights().stream().anyMatch(l -> TOP_LAYERS.contains(l.name()));
        return new Verification(file, md5, md5.equals(IMAGENET_NOTOP_MD5), withTop, weights.kerasVersion());
    }

    /**
     * Reads a Keras weights file and checks that its weighted layers are VGG16's convolutions,
     * optionally followed by the top (fc1, fc2, predictions). Shapes are checked on loading.
     */
    public static KerasWeights read(Path file) {
        if (!Files.exists(file)) {
            throw new CxrException(file + ": weights file not found; " + WeightsStore.HOW_TO_GET);
        }
        KerasWeights weights = KerasWeightsReader.read(file);
        List<KerasLayerWeights> weighted = weights.layersWithWeights();
        Set<String> convs = Set.copyOf(Vgg16.convNames());
        if (weighted.stream().noneMatch(l -> convs.contains(l.name()))) {
            throw new CxrException(file + ": not VGG16 weights: none of its layers is a VGG16 convolution ("
                    + (weighted.isEmpty()
                            ? "it has no layers with weights"
                            : "it has " + abbreviate(weights.weightedNamesText()))
                    + ")");
        }
        for (KerasLayerWeights l : weighted) {
            if (!convs.contains(l.name()) && !TOP_LAYERS.contains(l.name())) {
                throw new CxrException(file + ": not VGG16 weights: layer " + l.name()
                        + " is not a VGG16 layer (the weights of another network, VGG19 perhaps?)");
            }
        }
        return weights;
    }

    /** The md5 of a file, lower-case hex. */
    public static String md5(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("MD5");
            byte[] buf = new byte[1 << 16];
            for (int r; (r = in.read(buf)) > 0; ) {
                md.update(buf, 0, r);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new CxrException(file + ": cannot read (" + e.getMessage() + ")", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 100 ? s : s.substring(0, 97) + "...";
    }
}
