package dev.cxr.model.classifier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cxr.engine.CxrException;
import dev.cxr.engine.testing.H5Edit;
import dev.cxr.model.image.Preprocessing;
import dev.cxr.model.testing.NarrowVgg;
import io.jhdf.HdfFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFileTest {
    @TempDir
    Path dir;

    private static float[] random(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return a;
    }

    static ModelFile sample(int channels) {
        return new ModelFile(
                List.of("covid", "normal"),
                224,
                Preprocessing.TUTORIAL,
                "0123456789abcdef0123456789abcdef",
                new int[] {8, 16, 32, 32, channels},
                "/somewhere/weights.h5",
                channels,
                random(channels * 64, 1),
                random(64, 2),
                random(128, 3),
                random(2, 4),
                42,
                HeadTest.TUTORIAL_NAMED);
    }

    @Test
    void roundTripsAndKeepsTheKerasLayout() throws Exception {
        ModelFile m = sample(32);
        Path file = dir.resolve("model.h5");
        m.write(file);
        assertEquals(m, ModelFile.read(file));
        try (HdfFile h5 = new HdfFile(file)) {
            // what Keras's load_weights(by_name=True) reads
            assertArrayEquals(new String[] {"dense", "dense_1"}, (String[])
                    h5.getAttribute("layer_names").getData());
            assertArrayEquals(new String[] {"dense_1/kernel:0", "dense_1/bias:0"}, (String[])
                    ((io.jhdf.api.Group) h5.getChild("dense_1"))
                            .getAttribute("weight_names")
                            .getData());
            assertArrayEquals(
                    new int[] {32, 64},
                    h5.getDatasetByPath("dense/dense/kernel:0").getDimensions());
            assertArrayEquals(
                    new int[] {64, 2},
                    h5.getDatasetByPath("dense_1/dense_1/kernel:0").getDimensions());
            assertTrue(((String) h5.getAttribute("description").getData()).contains("not a diagnosis"));
            assertEquals(HeadTest.TUTORIAL_NAMED, h5.getAttribute("cxr_head").getData());
        }
    }

    @Test
    void aFileThatIsNotOursIsRefused() throws Exception {
        // a Keras weights file, but not a cxr model
        CxrException e = assertThrows(CxrException.class, () -> ModelFile.read(NarrowVgg.weights()));
        assertTrue(
                e.getMessage()
                        .endsWith("is not a cxr model file (no cxr_format attribute): give the model.h5 that"
                                + " 'cxr train' wrote"),
                e.getMessage());
        Path text = Files.writeString(dir.resolve("model.h5"), "hello");
        e = assertThrows(CxrException.class, () -> ModelFile.read(text));
        assertTrue(
                e.getMessage().startsWith(text + ": not an HDF5 file (no HDF5 signature); expected a cxr model file"),
                e.getMessage());
        e = assertThrows(CxrException.class, () -> ModelFile.read(dir.resolve("missing.h5")));
        assertEquals("model file " + dir.resolve("missing.h5") + " not found", e.getMessage());
    }

    /** A valid model file, read back into memory to be damaged in one way. */
    private H5Edit valid() {
        return H5Edit.of(writeSample());
    }

    private Path writeSample() {
        Path file = dir.resolve("valid.h5");
        if (!Files.exists(file)) {
            sample(32).write(file);
        }
        return file;
    }

    private void refused(H5Edit damaged, String expectedPart) {
        Path file = damaged.write(dir.resolve("damaged-" + System.nanoTime() + ".h5"));
        refused(file, expectedPart);
    }

    private static void refused(Path file, String expectedPart) {
        CxrException e = assertThrows(CxrException.class, () -> ModelFile.read(file));
        assertTrue(e.getMessage().startsWith(file.toString()), "names the file: " + e.getMessage());
        assertTrue(e.getMessage().contains(expectedPart), "says '" + expectedPart + "': " + e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        assertFalse(e.getMessage().contains("java.lang"), "no Java words: " + e.getMessage());
    }

    @Test
    void nonFiniteOrHugeWeightsAreRefusedNamingLayerAndIndex() {
        H5Edit nan = valid();
        float[][] k = (float[][]) nan.data("dense/dense/kernel:0");
        k[3][5] = Float.NaN; // flat index 3*64+5 = 197
        refused(nan, "layer dense: weight dense/kernel:0 holds NaN at index 197 of 2048");
        H5Edit inf = valid();
        float[] b = (float[]) inf.data("dense_1/dense_1/bias:0");
        b[1] = Float.POSITIVE_INFINITY;
        refused(inf, "layer dense_1: weight dense_1/bias:0 holds +Inf at index 1 of 2");
        H5Edit huge = valid();
        ((float[]) huge.data("dense/dense/bias:0"))[0] = 1e30f;
        refused(huge, "holds the value 1.0E30, beyond the sane bound");
        // and a NaN never reaches a file in the first place
        ModelFile m = sample(32);
        float[] bad = m.dense1Bias().clone();
        bad[0] = Float.NaN;
        CxrException e = assertThrows(
                CxrException.class,
                () -> new ModelFile(
                        m.classes(),
                        224,
                        m.preprocessing(),
                        m.baseMd5(),
                        m.baseWidths(),
                        "",
                        32,
                        m.denseKernel(),
                        m.denseBias(),
                        m.dense1Kernel(),
                        bad,
                        1,
                        "x"));
        assertEquals(
                "model dense_1/bias:0 holds NaN at index 0 of 2 (not finite, or beyond 1000000.0)", e.getMessage());
    }

    @Test
    void aTruncatedModelIsRefused() throws Exception {
        byte[] full = Files.readAllBytes(writeSample());
        Path cut = Files.write(dir.resolve("cut.h5"), Arrays.copyOf(full, full.length - 100));
        refused(cut, "truncated: " + (full.length - 100) + " bytes, its HDF5 header says " + full.length);
    }

    @Test
    void everyAttributeIsChecked() {
        refused(
                valid().attribute("", "cxr_base", "resnet50"),
                "the model claims the base 'resnet50', cxr models are trained on 'vgg16_notop'");
        refused(
                valid().attribute("", "cxr_base_widths", new int[] {8, 16, 32, 32, 64}),
                "layer dense: weight dense/kernel:0 has shape (32,64), expected (64,64)");
        refused(
                valid().attribute("", "cxr_base_widths", new int[] {8, 16, 32}),
                "attribute cxr_base_widths should be 5 int32 values, it holds 3 int value(s)");
        refused(valid().attribute("", "cxr_input_size", new int[] {0, 0}), "input size 0 is outside 32..2048");
        refused(valid().attribute("", "cxr_input_size", new int[] {-224, -224}), "input size -224 is outside 32..2048");
        refused(
                valid().attribute("", "cxr_input_size", new int[] {1 << 30, 1 << 30}),
                "input size 1073741824 is outside 32..2048");
        refused(
                valid().attribute("", "cxr_input_size", new int[] {224, 200}),
                "cxr_input_size is 224x200, cxr models take square inputs");
        refused(
                valid().attribute("", "cxr_classes", new String[] {"covid", "covid"}),
                "class name 'covid' appears twice");
        refused(
                valid().attribute("", "cxr_classes", new String[] {"covid", "nor,mal"}),
                "class name 'nor,mal' holds U+002C at 3");
        refused(
                valid().attribute("", "cxr_classes", new String[] {"covid\nx", "normal"}),
                "class name 'covid\\u000ax' holds U+000A at 5");
        refused(
                valid().attribute("", "cxr_classes", new String[] {"", "normal"}),
                "class name '' must be 1 to 200 characters");
        refused(
                valid().attribute("", "cxr_classes", new long[] {1, 2}),
                "attribute cxr_classes should be an array of strings, it holds 2 long value(s)");
        refused(
                valid().attribute("", "cxr_base_weights_md5", "not-an-md5"),
                "base weights md5 'not-an-md5' is not 32 lower-case hex digits");
        refused(
                valid().attribute("", "cxr_seed", "42"),
                "attribute cxr_seed should be 1 int64 value, it holds a String");
        refused(valid().attribute("", "cxr_preprocessing", "imagenet"), "unknown preprocessing 'imagenet'");
        refused(valid().removeAttribute("", "cxr_head"), "attribute cxr_head is missing");
        refused(
                valid().attribute("", "cxr_format", "cxr-covid-classifier-9"),
                "is a cxr model of format 'cxr-covid-classifier-9'");
    }

    @Test
    void structureAndDtypesAreChecked() {
        byte[] int8 = new byte[64];
        refused(
                valid().dataset("dense/dense/bias:0", int8),
                "layer dense: weight dense/bias:0 is int8, expected float32");
        refused(
                valid().dataset("dense/dense/bias:0", new String[] {"a", "b"}),
                "layer dense: weight dense/bias:0 is a string, expected float32");
        refused(
                valid().dataset("dense_1/dense_1/bias:0", new float[3]),
                "layer dense_1: weight dense_1/bias:0 has shape (3,), expected (2,)");
        refused(
                valid().remove("dense_1/dense_1/kernel:0"),
                "layer dense_1: weight dense_1/kernel:0 is listed in weight_names but is missing");
        refused(
                valid().attribute("", "layer_names", new String[] {"dense"}),
                "a cxr model holds the layers [dense, dense_1], this file [dense]");
        refused(
                valid().attribute("dense", "weight_names", new long[] {3}),
                "layer dense weight_names should be strings");
    }

    @Test
    void theHeadChecksumCatchesAFlipThatStillLooksLikeAWeight() {
        H5Edit flipped = valid();
        float[][] k = (float[][]) flipped.data("dense_1/dense_1/kernel:0");
        k[10][1] = Float.intBitsToFloat(Float.floatToIntBits(k[10][1]) ^ 1); // the lowest mantissa bit
        refused(flipped, "the head's weights do not match the checksum stored with them");

        // a model written before the checksum still loads, and says so
        Path old = valid().removeAttribute("", ModelFile.CHECKSUM_ATTRIBUTE).write(dir.resolve("old.h5"));
        List<String> notices = new java.util.ArrayList<>();
        assertEquals(sample(32), ModelFile.read(old, notices::add));
        assertEquals(1, notices.size());
        assertTrue(notices.get(0).contains("has no head checksum"), notices.get(0));
        // an intact file with the checksum gives no notice
        notices.clear();
        ModelFile.read(writeSample(), notices::add);
        assertEquals(List.of(), notices);
    }

    @Test
    void refusesWeightsOfTheWrongSize() {
        CxrException e = assertThrows(
                CxrException.class,
                () -> new ModelFile(
                        List.of("a", "b"),
                        224,
                        Preprocessing.CAFFE,
                        "0".repeat(32),
                        new int[] {8, 8, 8, 8, 8},
                        "",
                        8,
                        new float[8 * 64],
                        new float[64],
                        new float[64 * 3],
                        new float[2],
                        1,
                        "x"));
        assertEquals("model dense_1/kernel:0 holds 192 values, expected 128", e.getMessage());
    }
}
