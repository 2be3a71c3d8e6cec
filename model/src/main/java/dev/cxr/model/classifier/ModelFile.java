package dev.cxr.model.classifier;

import dev.cxr.engine.CxrException;
import dev.cxr.engine.io.FileChecks;
import dev.cxr.engine.io.KerasArray;
import dev.cxr.engine.io.KerasLayerWeights;
import dev.cxr.engine.io.KerasWeights;
import dev.cxr.engine.io.KerasWeightsReader;
import dev.cxr.engine.io.KerasWeightsWriter;
import dev.cxr.engine.io.KerasWeightsWriter.LayerWeights;
import dev.cxr.engine.io.KerasWeightsWriter.Weight;
import dev.cxr.model.features.FrozenBase;
import dev.cxr.model.image.Preprocessing;
import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

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
public record ModelFile(
        List<String> classes,
        int inputSize,
        Preprocessing preprocessing,
        String baseMd5,
        int[] baseWidths,
        String baseWeightsHint,
        int channels,
        float[] denseKernel,
        float[] denseBias,
        float[] dense1Kernel,
        float[] dense1Bias,
        long seed,
        String head) {

    /** Identifies our files; bumped when the layout changes. */
    public static final String FORMAT = "cxr-covid-classifier-1";

    public static final String DISCLAIMER = "Educational only: not a medical device; its outputs are not a diagnosis.";

    /** The input sizes a model may claim: VGG16's corner base needs 32 pixels; beyond 2048 is damage. */
    public static final int MIN_INPUT_SIZE = 32;

    public static final int MAX_INPUT_SIZE = 2048;
    /** The base network every cxr model is trained on. */
    public static final String BASE = "vgg16_notop";
    /** Root attribute holding the SHA-256 of the head's arrays ({@link #headChecksum}); absent in older models. */
    public static final String CHECKSUM_ATTRIBUTE = "cxr_head_sha256";

    /**
     * Checks everything a model can claim, so that a model in memory, written or read, is always
     * usable: at least 2 classes with unique, non-empty, printable names that a CSV header holds
     * as they are; a sane input size; VGG16's five positive widths ending in the channel count;
     * an md5 of 32 hex digits; finite weights below {@link FileChecks#MAX_ABS_WEIGHT}.
     *
     * @throws CxrException naming the wrong value
     */
    public ModelFile {
        classes = List.copyOf(classes);
        Objects.requireNonNull(head, "head");
        Objects.requireNonNull(preprocessing, "preprocessing");
        Objects.requireNonNull(baseWeightsHint, "baseWeightsHint");
        requireClassNames(classes);
        if (inputSize < MIN_INPUT_SIZE || inputSize > MAX_INPUT_SIZE) {
            throw new CxrException("input size " + inputSize + " is outside " + MIN_INPUT_SIZE + ".." + MAX_INPUT_SIZE);
        }
        if (baseMd5 == null || !baseMd5.matches("[0-9a-f]{32}")) {
            throw new CxrException("base weights md5 '" + baseMd5 + "' is not 32 lower-case hex digits");
        }
        baseWidths = baseWidths.clone();
        if (baseWidths.length != 5 || Arrays.stream(baseWidths).anyMatch(w -> w < 1 || w > 4096)) {
            throw new CxrException("base widths " + Arrays.toString(baseWidths) + " are not VGG16's five block widths");
        }
        if (channels != baseWidths[4]) {
            throw new CxrException(
                    "the head reads " + channels + " channels but the base's last width is " + baseWidths[4]);
        }
        int k = classes.size();
        int h = Head.HIDDEN_UNITS;
        check("dense/kernel:0", denseKernel, channels * h);
        check("dense/bias:0", denseBias, h);
        check("dense_1/kernel:0", dense1Kernel, h * k);
        check("dense_1/bias:0", dense1Bias, k);
    }

    private static void check(String what, float[] values, int expected) {
        if (values.length != expected) {
            throw new CxrException("model " + what + " holds " + values.length + " values, expected " + expected);
        }
        int bad = FileChecks.firstInsane(values);
        if (bad >= 0) {
            throw new CxrException("model " + what + " holds " + values[bad] + " at index " + bad + " of "
                    + values.length + " (not finite, or beyond " + FileChecks.MAX_ABS_WEIGHT + ")");
        }
    }

    /** Class names become CSV columns ({@code p_<name>}) and report labels: they must survive both as they are. */
    static void requireClassNames(List<String> classes) {
        if (classes.size() < 2) {
            throw new CxrException("a model needs at least 2 classes, this one has " + classes.size() + " " + classes);
        }
        if (classes.size() > 1000) {
            throw new CxrException("a model of " + classes.size() + " classes is not one cxr trains (at most 1000)");
        }
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (String c : classes) {
            if (c == null || c.isEmpty() || c.length() > 200) {
                throw new CxrException(
                        "class name " + (c == null ? "null" : "'" + c + "'") + " must be 1 to 200 characters");
            }
            for (int i = 0; i < c.length(); i++) {
                char ch = c.charAt(i);
                if (Character.isISOControl(ch)
                        || ch == ','
                        || ch == '"'
                        || Character.isSurrogate(ch)
                        || Character.getType(ch) == Character.FORMAT) {
                    throw new CxrException("class name " + printable(c) + " holds " + String.format("U+%04X", (int) ch)
                            + " at " + i + ": class names must be printable, without comma or quote");
                }
            }
            if (!seen.add(c)) {
                throw new CxrException("class name '" + c + "' appears twice: class names must be unique");
            }
        }
    }

    /** {@code s} in quotes with control characters shown as backslash-u escapes, for messages. */
    private static String printable(String s) {
        StringBuilder sb = new StringBuilder("'");
        for (char ch : s.toCharArray()) {
            sb.append(Character.isISOControl(ch) ? String.format("\\u%04x", (int) ch) : String.valueOf(ch));
        }
        return sb.append('\'').toString();
    }

    /**
     * SHA-256 of the head's arrays (dense kernel, dense bias, dense_1 kernel, dense_1 bias, each
     * value's float32 bits little-endian, in that order), lower-case hex: a flipped bit that still
     * reads as a finite weight changes it.
     */
    public String headChecksum() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (float[] a : List.of(denseKernel, denseBias, dense1Kernel, dense1Bias)) {
                ByteBuffer b = ByteBuffer.allocate(a.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
                b.asFloatBuffer().put(a);
                sha.update(b);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The weights of a trained head, with the rest of the description. */
    public static ModelFile of(
            Head head, List<String> classes, int inputSize, Preprocessing preprocessing, FrozenBase base, long seed) {
        return new ModelFile(
                classes,
                inputSize,
                preprocessing,
                base.md5(),
                base.widths(),
                base.file().toAbsolutePath().toString(),
                head.channels(),
                head.dense().kernel().get(),
                head.dense().bias().get(),
                head.dense1().kernel().get(),
                head.dense1().bias().get(),
                seed,
                head.describe(true));
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
                new LayerWeights(
                        Head.DENSE,
                        List.of(
                                new Weight("kernel:0", new int[] {channels, h}, denseKernel),
                                new Weight("bias:0", new int[] {h}, denseBias))),
                new LayerWeights(
                        Head.DENSE_1,
                        List.of(
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
        attrs.put(CHECKSUM_ATTRIBUTE, headChecksum());
        attrs.put("description", "cxr COVID-19 chest X-ray classifier head. " + DISCLAIMER);
        KerasWeightsWriter.write(file, layers, attrs);
    }

    /** {@link #read(Path, Consumer)} without notices. */
    public static ModelFile read(Path file) {
        return read(file, notice -> {});
    }

    /**
     * Reads a model written by {@link #write}, checking it as strictly as the VGG16 weights: the
     * file is complete HDF5 ({@link FileChecks#openHdf5}); the head is exactly the layers dense and
     * dense_1 with float32 arrays of the right shapes, finite and sane; every cxr attribute has its
     * type and a sane value; the head's checksum matches when the model has one (older models
     * without it load, with a notice).
     *
     * @param notices receives one line when the model has no checksum
     * @throws CxrException one line naming the file and what is wrong with it
     */
    public static ModelFile read(Path file, Consumer<String> notices) {
        if (!Files.isRegularFile(file)) {
            throw new CxrException("model file " + file + " not found");
        }
        try (HdfFile h5 = FileChecks.openHdf5(file, "a cxr model file (the model.h5 that 'cxr train' wrote)")) {
            Attribute format = h5.getAttribute("cxr_format");
            if (format == null) {
                throw new CxrException(file + " is not a cxr model file (no cxr_format attribute): give the model.h5"
                        + " that 'cxr train' wrote");
            }
            if (!FORMAT.equals(format.getData())) {
                throw new CxrException(file + " is a cxr model of format " + quoted(format.getData())
                        + ", this build reads '" + FORMAT + "'");
            }
            RootAttributes attrs = new RootAttributes(h5, file);
            String base = attrs.string("cxr_base");
            if (!BASE.equals(base)) {
                throw new CxrException(
                        file + ": the model claims the base '" + base + "', cxr models are trained on '" + BASE + "'");
            }
            List<String> classes = List.of(attrs.strings("cxr_classes"));
            int[] size = attrs.ints("cxr_input_size", 2);
            if (size[0] != size[1]) {
                throw new CxrException(file + ": attribute cxr_input_size is " + size[0] + "x" + size[1]
                        + ", cxr models take square inputs");
            }
            Preprocessing pre;
            try {
                pre = Preprocessing.parse(attrs.string("cxr_preprocessing"));
            } catch (CxrException e) {
                throw new CxrException(file + ": attribute cxr_preprocessing: " + e.getMessage(), e);
            }
            String md5 = attrs.string("cxr_base_weights_md5");
            int[] widths = attrs.ints("cxr_base_widths", 5);
            String hint = attrs.string("cxr_base_weights_file");
            long seed = attrs.longs("cxr_seed", 1)[0];
            String head = attrs.string("cxr_head");
            String checksum = h5.getAttribute(CHECKSUM_ATTRIBUTE) == null ? null : attrs.string(CHECKSUM_ATTRIBUTE);

            KerasWeights weights = KerasWeightsReader.read(file, h5);
            List<String> layers = weights.layersWithWeights().stream()
                    .map(KerasLayerWeights::name)
                    .toList();
            if (!layers.equals(List.of(Head.DENSE, Head.DENSE_1))) {
                throw new CxrException(file + ": a cxr model holds the layers [dense, dense_1], this file " + layers);
            }
            List<KerasArray> dense = arrays(file, weights, Head.DENSE);
            List<KerasArray> dense1 = arrays(file, weights, Head.DENSE_1);
            int channels = widths[4];
            int k = classes.size();
            int h = Head.HIDDEN_UNITS;
            requireShape(file, Head.DENSE, dense.get(0), channels, h);
            requireShape(file, Head.DENSE, dense.get(1), h);
            requireShape(file, Head.DENSE_1, dense1.get(0), h, k);
            requireShape(file, Head.DENSE_1, dense1.get(1), k);
            ModelFile m;
            try {
                m = new ModelFile(
                        classes,
                        size[0],
                        pre,
                        md5,
                        widths,
                        hint,
                        channels,
                        dense.get(0).values(),
                        dense.get(1).values(),
                        dense1.get(0).values(),
                        dense1.get(1).values(),
                        seed,
                        head);
            } catch (CxrException e) {
                throw new CxrException(file + ": " + e.getMessage(), e);
            }
            if (checksum == null) {
                notices.accept("notice: " + file + " has no head checksum (written before cxr stored one);"
                        + " its arrays were checked for finite, sane values only");
            } else if (!checksum.equals(m.headChecksum())) {
                throw new CxrException(file + ": the head's weights do not match the checksum stored with them"
                        + " (the file was damaged after it was written): use an intact copy");
            }
            return m;
        } catch (CxrException e) {
            throw e;
        } catch (RuntimeException e) {
            // jhdf's failures on damaged structure (HdfException and the like): one line about the file
            throw new CxrException(file + " is a damaged cxr model file (" + e.getMessage() + ")", e);
        }
    }

    private static List<KerasArray> arrays(Path file, KerasWeights weights, String layer) {
        List<KerasArray> a = weights.layer(layer).orElseThrow().arrays();
        if (a.size() != 2) {
            throw new CxrException(
                    file + ": layer " + layer + " should hold a kernel and a bias, it holds " + a.size() + " arrays");
        }
        return a;
    }

    private static void requireShape(Path file, String layer, KerasArray a, int... expected) {
        if (!Arrays.equals(a.shape(), expected)) {
            throw new CxrException(file + ": layer " + layer + ": weight " + a.name() + " has shape " + a.shapeText()
                    + ", expected " + KerasArray.shapeText(expected) + " for this model's widths and classes");
        }
    }

    private static String quoted(Object o) {
        String s = o instanceof String t ? t : String.valueOf(o);
        s = s.length() > 60 ? s.substring(0, 57) + "..." : s;
        return "'" + s.replaceAll("\\p{Cntrl}", "?") + "'";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelFile m
                && classes.equals(m.classes)
                && inputSize == m.inputSize
                && preprocessing == m.preprocessing
                && baseMd5.equals(m.baseMd5)
                && Arrays.equals(baseWidths, m.baseWidths)
                && baseWeightsHint.equals(m.baseWeightsHint)
                && channels == m.channels
                && Arrays.equals(denseKernel, m.denseKernel)
                && Arrays.equals(denseBias, m.denseBias)
                && Arrays.equals(dense1Kernel, m.dense1Kernel)
                && Arrays.equals(dense1Bias, m.dense1Bias)
                && seed == m.seed
                && head.equals(m.head);
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
