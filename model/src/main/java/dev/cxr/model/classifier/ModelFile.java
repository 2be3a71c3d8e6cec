package dev.cxr.model.classifier;

import dev.cxr.engine.CxrException;
import dev.cxr.engine.io.KerasWeightsWriter;
import dev.cxr.engine.io.KerasWeightsWriter.LayerWeights;
import dev.cxr.engine.io.KerasWeightsWriter.Weight;
import dev.cxr.model.features.FrozenBase;
import dev.cxr.model.image.Preprocessing;
import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import java.lang.reflect.Array;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The saved model, {@code model.h5}: the trained head's weights in the Keras legacy weights layout
 * under Keras's layer names ({@code dense}, {@code dense_1}), so that the tutorial's Keras model loads
 * them with {@code model.load_weights(path, by_name=True)}; and root attributes holding everything
 * needed to predict: the class names, the input size, the preprocessing mode, and which VGG16 base
 * weights it was trained on (md5, widths, the file's path as a hint).
 *
 * @param classes        class names, index = output unit
 * @param inputSize      height = width of the network input (224)
 * @param preprocessing  how pixels become inputs
 * @param baseMd5        md5 of the VGG16 weights file the features came from
 * @param baseWidths     VGG16's channels per block (64, 128, 256, 512, 512)
 * @param baseWeightsHint the path of that weights file when the model was trained (may no longer exist)
 * @param channels       features per image into the head (the last width)
 * @param dense          dense kernel [channels, 64] then bias [64], row-major
 * @param dense1         dense_1 kernel [64, classes] then bias [classes]
 * @param seed           the training seed, for the record
 * @param head           the head's layers in Keras's words ({@link Head#describe}), for the record
 */
public record ModelFile(List<String> classes, int inputSize, Preprocessing preprocessing, String baseMd5,
                        int[] baseWidths, String baseWeightsHint, int channels,
                        float[] denseKernel, float[] denseBias, float[] dense1Kernel, float[] dense1Bias,
                        long seed, String head) {

    /** Identifies our files; bumped when the layout changes. */
    public static final String FORMAT = "cxr-covid-classifier-1";
    public static final String DISCLAIMER = "Educational only: not a medical device; its outputs are not a diagnosis.";

    public ModelFile {
        classes = List.copyOf(classes);
        Objects.requireNonNull(head, "head");
        int k = classes.size();
        int h = Head.HIDDEN_UNITS;
        check("dense/kernel:0", denseKernel.length, channels * h);
        check("dense/bias:0", denseBias.length, h);
        check("dense_1/kernel:0", dense1Kernel.length, h * k);
        check("dense_1/bias:0", dense1Bias.length, k);
    }

    private static void check(String what, int got, int expected) {
        if (got != expected) {
            throw new CxrException("model " + what + " holds " + got + " values, expected " + expected);
        }
    }

    /** The weights of a trained head, with the rest of the description. */
    public static ModelFile of(Head head, List<String> classes, int inputSize, Preprocessing preprocessing,
                               FrozenBase base, long seed) {
        return new ModelFile(classes, inputSize, preprocessing, base.md5(), base.widths(),
                base.file().toAbsolutePath().toString(), head.channels(),
                head.dense().kernel().get(), head.dense().bias().get(),
                head.dense1().kernel().get(), head.dense1().bias().get(), seed, head.describe(true));
    }

    /** Loads these weights into a head of the matching shape. */
    public void loadInto(Head head) {
        if (head.channels() != channels || head.classes() != classes.size()) {
            throw new IllegalArgumentException("head has " + head.channels() + " channels and " + head.classes()
                    + " classes, the model " + channels + " and " + classes.size());
        }
        head.dense().kernel().set(denseKernel);
        head.dense().bias().set(denseBias);
        head.dense1().kernel().set(dense1Kernel);
        head.dense1().bias().set(dense1Bias);
    }

    /** Writes the file atomically (temporary name, then rename). */
    public void write(Path file) {
        int h = Head.HIDDEN_UNITS;
        List<LayerWeights> layers = List.of(
                new LayerWeights(Head.DENSE, List.of(new Weight("kernel:0", new int[] {channels, h}, denseKernel),
                        new Weight("bias:0", new int[] {h}, denseBias))),
                new LayerWeights(Head.DENSE_1, List.of(
                        new Weight("kernel:0", new int[] {h, classes.size()}, dense1Kernel),
                        new Weight("bias:0", new int[] {classes.size()}, dense1Bias))));
        Map<String, Object> attrs = new LinkedHashMap<>();
        attrs.put("cxr_format", FORMAT);
        attrs.put("cxr_classes", classes.toArray(String[]::new));
        attrs.put("cxr_input_size", new int[] {inputSize, inputSize});
        attrs.put("cxr_preprocessing", preprocessing.toString());
        attrs.put("cxr_base", "vgg16_notop");
        attrs.put("cxr_base_weights_md5", baseMd5);
        attrs.put("cxr_base_widths", baseWidths.clone());
        attrs.put("cxr_base_weights_file", baseWeightsHint);
        attrs.put("cxr_head", head);
        attrs.put("cxr_seed", new long[] {seed});
        attrs.put("description", "cxr COVID-19 chest X-ray classifier head. " + DISCLAIMER);
        KerasWeightsWriter.write(file, layers, attrs);
    }

    /**
     * Reads a model written by {@link #write}.
     *
     * @throws CxrException when the file is missing, not HDF5, or not one of ours
     */
    public static ModelFile read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new CxrException("model file " + file + " not found");
        }
        HdfFile h5;
        try {
            h5 = new HdfFile(file);
        } catch (RuntimeException e) {
            throw new CxrException(file + " is not a cxr model file (not HDF5: " + e.getMessage() + ")", e);
        }
        try (h5) {
            Attribute format = h5.getAttribute("cxr_format");
            if (format == null) {
                throw new CxrException(file + " is not a cxr model file (no cxr_format attribute): give the model.h5"
                        + " that 'cxr train' wrote");
            }
            if (!FORMAT.equals(format.getData())) {
                throw new CxrException(file + " is a cxr model of format '" + format.getData() + "', this build reads '"
                        + FORMAT + "'");
            }
            List<String> classes = List.of((String[]) attr(h5, file, "cxr_classes"));
            int[] size = (int[]) attr(h5, file, "cxr_input_size");
            Preprocessing pre = Preprocessing.parse((String) attr(h5, file, "cxr_preprocessing"));
            String md5 = (String) attr(h5, file, "cxr_base_weights_md5");
            int[] widths = (int[]) attr(h5, file, "cxr_base_widths");
            String hint = (String) attr(h5, file, "cxr_base_weights_file");
            long seed = ((long[]) attr(h5, file, "cxr_seed"))[0];
            String head = (String) attr(h5, file, "cxr_head");
            Dataset k1 = h5.getDatasetByPath("dense/dense/kernel:0");
            int channels = k1.getDimensions()[0];
            return new ModelFile(classes, size[0], pre, md5, widths, hint, channels,
                    floats(k1), floats(h5.getDatasetByPath("dense/dense/bias:0")),
                    floats(h5.getDatasetByPath("dense_1/dense_1/kernel:0")),
                    floats(h5.getDatasetByPath("dense_1/dense_1/bias:0")), seed, head);
        } catch (CxrException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CxrException(file + " is a damaged cxr model file (" + e.getMessage() + ")", e);
        }
    }

    private static Object attr(HdfFile h5, Path file, String name) {
        Attribute a = h5.getAttribute(name);
        if (a == null || a.getData() == null) {
            throw new CxrException(file + " is a damaged cxr model file: attribute " + name + " is missing");
        }
        return a.getData();
    }

    private static float[] floats(Dataset ds) {
        Object flat = ds.getDataFlat();
        if (flat instanceof float[] f) {
            return f;
        }
        float[] out = new float[Array.getLength(flat)];
        for (int i = 0; i < out.length; i++) {
            out[i] = ((Number) Array.get(flat, i)).floatValue();
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelFile m && classes.equals(m.classes) && inputSize == m.inputSize
                && preprocessing == m.preprocessing && baseMd5.equals(m.baseMd5) && Arrays.equals(baseWidths, m.baseWidths)
                && baseWeightsHint.equals(m.baseWeightsHint) && channels == m.channels
                && Arrays.equals(denseKernel, m.denseKernel) && Arrays.equals(denseBias, m.denseBias)
                && Arrays.equals(dense1Kernel, m.dense1Kernel) && Arrays.equals(dense1Bias, m.dense1Bias)
                && seed == m.seed && head.equals(m.head);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(denseKernel) * 31 + classes.hashCode();
    }

    @Override
    public String toString() {
        return "ModelFile(" + classes + ", " + preprocessing + ", base md5 " + baseMd5 + ", " + channels + " channels)";
    }
}
