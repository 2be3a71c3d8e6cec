package dev.cxr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cxr.engine.testing.H5Edit;
import dev.cxr.model.classifier.ModelFile;
import dev.cxr.model.image.Preprocessing;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The findings at the command line: a damaged file is exit 1 and one line, never a NaN row or exit 70. */
class DamagedFilesCommandTest {
    @TempDir
    Path tmp;

    private Path model() {
        float[] k = new float[32 * 64];
        for (int i = 0; i < k.length; i++) {
            k[i] = (i % 7 - 3) * 0.01f;
        }
        ModelFile m = new ModelFile(
                List.of("covid", "normal"),
                224,
                Preprocessing.TUTORIAL,
                "0".repeat(32),
                new int[] {8, 16, 32, 32, 32},
                "/nowhere/w.h5",
                32,
                k,
                new float[64],
                Arrays.copyOf(k, 128),
                new float[] {0.1f, -0.1f},
                1,
                "head");
        Path file = tmp.resolve("model.h5");
        m.write(file);
        return file;
    }

    private static void assertOneLine(CliRun r, String part) {
        assertEquals(1, r.exit(), r.err());
        assertTrue(r.lastErrorLine().startsWith("cxr: "), r.err());
        assertTrue(r.lastErrorLine().contains(part), r.err());
        assertFalse(r.err().contains("internal error"), r.err());
        assertFalse(r.out().contains("NaN"), r.out());
    }

    @Test
    void predictRefusesANanModelATruncatedOneAndDuplicateClasses() throws Exception {
        Path image = tmp.resolve("x.png");
        Files.write(image, new byte[] {1});
        H5Edit nan = H5Edit.of(model());
        ((float[]) nan.data("dense_1/dense_1/bias:0"))[0] = Float.NaN;
        Path bad = nan.write(tmp.resolve("nan.h5"));
        assertOneLine(
                CliRun.of("predict", "--model", bad.toString(), image.toString()),
                bad + ": layer dense_1: weight dense_1/bias:0 holds NaN at index 0 of 2");

        byte[] full = Files.readAllBytes(model());
        Path cut = Files.write(tmp.resolve("cut.h5"), Arrays.copyOf(full, full.length - 100));
        assertOneLine(CliRun.of("predict", "--model", cut.toString(), image.toString()), cut + ": truncated");

        Path dup = H5Edit.of(model())
                .attribute("", "cxr_classes", new String[] {"covid", "covid"})
                .write(tmp.resolve("dup.h5"));
        assertOneLine(
                CliRun.of("evaluate", "--model", dup.toString(), "--dataset", tmp.toString()),
                "class name 'covid' appears twice");

        Path size = H5Edit.of(model())
                .attribute("", "cxr_input_size", new int[] {-5, -5})
                .write(tmp.resolve("size.h5"));
        assertOneLine(
                CliRun.of("predict", "--model", size.toString(), image.toString()),
                "input size -5 is outside 32..2048");
    }

    @Test
    void weightsVerifyReportsANonFiniteWeight() {
        Path narrow = CliRun.narrowWeights();
        H5Edit e = H5Edit.of(narrow);
        // the pooling layers' empty weight_names cannot be written back by jhdf: list only the layers with weights
        e.attribute(
                "",
                "layer_names",
                Arrays.stream((String[]) e.attribute("", "layer_names"))
                        .filter(n -> e.attribute(n, "weight_names") != null)
                        .toArray(String[]::new));
        float[] bias = (float[]) e.data("block4_conv1/block4_conv1_b_1:0");
        bias[5] = Float.POSITIVE_INFINITY;
        Path bad = e.write(tmp.resolve("inf.h5"));
        CliRun r = CliRun.of("weights", "verify", bad.toString());
        assertOneLine(r, bad + ": layer block4_conv1: weight block4_conv1_b_1:0 holds +Inf at index 5 of 32");
        assertFalse(r.out().contains("valid"), r.out());
    }
}
