package dev.cxr.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cxr features} end to end on the narrow VGG16 of the test resources (its widths read from
 * the file, as training reads them): two X-rays through decode, resize, preprocessing and the
 * network on the reference backend, against TensorFlow's block5_pool; and the one-line refusals.
 */
class FeaturesCommandTest {
    /** Same bound as the model's numerics test: 30x TF's own float32 error, 10x below a resize slip. */
    private static final double TOLERANCE = 1e-4;

    @TempDir
    Path dir;

    private static Path weights() {
        return CliRun.repoFile("model/src/test/resources/reference/small/vgg16-narrow-seed11-notop.h5");
    }

    private static Path expected() {
        return CliRun.repoFile("model/src/test/resources/reference/small/vgg16-narrow-seed11-expected.h5");
    }

    private static Path image(String relative) {
        return CliRun.repoFile("data/covid-xray-50/" + relative);
    }

    @Test
    void writesBlock5PoolAsTensorFlowComputesIt() {
        Path out = dir.resolve("features.h5");
        CliRun r = CliRun.of(
                "--device",
                "reference",
                "features",
                "--weights",
                weights().toString(),
                "--preprocess",
                "tutorial",
                "--batch-size",
                "1",
                "--out",
                out.toString(),
                image("covid/radiol.2020200490.fig3.jpeg").toString(),
                image("normal/IM-0033-0001-0001.jpeg").toString());
        assertEquals(0, r.exit, r.toString());
        assertTrue(r.out.contains("wrote 2 block5_pool feature maps"), r.toString());
        assertFalse(leftoverTemporaryFile(), "no temporary file is left beside the output");
        try (HdfFile got = new HdfFile(out);
                HdfFile want = new HdfFile(expected())) {
            assertArrayEquals(new String[] {"radiol.2020200490.fig3.jpeg", "IM-0033-0001-0001.jpeg"}, (String[])
                    got.getAttribute("images").getData());
            assertEquals("tutorial", got.getAttribute("preprocessing").getData());
            assertTrue(got.getAttribute("layout").getData().toString().startsWith("HWC"));
            for (String name : new String[] {"radiol.2020200490.fig3.jpeg", "IM-0033-0001-0001.jpeg"}) {
                Dataset ds = got.getDatasetByPath(name);
                assertArrayEquals(new int[] {7, 7, 32}, ds.getDimensions());
                assertEquals("HWC", ds.getAttribute("layout").getData());
                float[] g = (float[]) ds.getDataFlat();
                float[] w = (float[]) want.getDatasetByPath("tutorial/" + name + "/block5_pool")
                        .getDataFlat();
                double maxErr = 0;
                double maxRef = 0;
                for (int i = 0; i < w.length; i++) {
                    maxErr = Math.max(maxErr, Math.abs(g[i] - w[i]));
                    maxRef = Math.max(maxRef, Math.abs(w[i]));
                }
                assertTrue(
                        maxRef > 0 && maxErr <= TOLERANCE * maxRef,
                        name + ": max error " + maxErr + " of max " + maxRef);
            }
        }
    }

    @Test
    void sameFileNameTwiceIsRefusedBeforeAnyWork() throws IOException {
        Path a = Files.createDirectories(dir.resolve("a"));
        Path b = Files.createDirectories(dir.resolve("b"));
        Path src = image("normal/IM-0033-0001-0001.jpeg");
        Files.copy(src, a.resolve("x.jpeg"));
        Files.copy(src, b.resolve("x.jpeg"));
        Path out = dir.resolve("f.h5");
        CliRun r = CliRun.of(
                "--device",
                "reference",
                "features",
                "--weights",
                weights().toString(),
                "--out",
                out.toString(),
                a.resolve("x.jpeg").toString(),
                b.resolve("x.jpeg").toString());
        assertEquals(Main.EXIT_USER_ERROR, r.exit, r.toString());
        assertTrue(r.errorLine().contains("two images are named x.jpeg"), r.toString());
        assertFalse(Files.exists(out));
    }

    @Test
    void weightsThatAreNotVgg16AreOneLine() {
        Path notWeights = CliRun.repoFile("model/src/test/resources/images/opencv-decoded.h5");
        Path out = dir.resolve("f.h5");
        CliRun r = CliRun.of(
                "--device",
                "reference",
                "features",
                "--weights",
                notWeights.toString(),
                "--out",
                out.toString(),
                image("normal/IM-0033-0001-0001.jpeg").toString());
        assertEquals(Main.EXIT_USER_ERROR, r.exit, r.toString());
        assertTrue(
                r.errorLine().contains(notWeights + ": no 'layer_names' attribute, so not a Keras 1/2 weights file"),
                r.toString());
        assertFalse(Files.exists(out));
    }

    /** The same rules as training: an image under 32 pixels a side is refused, not stretched to 224. */
    @Test
    void anImageTooSmallToBeAnXrayIsRefusedAsInTraining() {
        Path icon = CliRun.repoFile("model/src/test/resources/images/png-gray8.png");
        Path out = dir.resolve("f.h5");
        CliRun r = CliRun.of(
                "--device",
                "reference",
                "features",
                "--weights",
                weights().toString(),
                "--out",
                out.toString(),
                image("normal/IM-0033-0001-0001.jpeg").toString(),
                icon.toString());
        assertEquals(Main.EXIT_USER_ERROR, r.exit, r.toString());
        assertTrue(
                r.errorLine().contains(icon + ": too small to be an X-ray (29x21 pixels; at least 32x32 needed)"),
                r.toString());
        assertFalse(Files.exists(out));
    }

    @Test
    void anImageThatIsNotOneIsOneLineAndNoFile() throws IOException {
        Path bad = Files.writeString(dir.resolve("scan.jpeg"), "not a jpeg");
        Path out = dir.resolve("f.h5");
        CliRun r = CliRun.of(
                "--device",
                "reference",
                "features",
                "--weights",
                weights().toString(),
                "--out",
                out.toString(),
                bad.toString());
        assertEquals(Main.EXIT_USER_ERROR, r.exit, r.toString());
        assertTrue(r.errorLine().contains(bad.toString()), r.toString());
        assertFalse(Files.exists(out));
        assertFalse(leftoverTemporaryFile(), "no temporary file is left beside the output");
    }

    @Test
    void unknownPreprocessingIsOneLine() {
        CliRun r = CliRun.of(
                "features",
                "--preprocess",
                "imagenet",
                "--out",
                dir.resolve("f.h5").toString(),
                "x.jpg");
        assertEquals(Main.EXIT_USER_ERROR, r.exit, r.toString());
        assertTrue(r.errorLine().contains("use caffe or tutorial"), r.toString());
    }

    @Test
    void outIsRequired() {
        CliRun r = CliRun.of("features", "x.jpg");
        assertEquals(Main.EXIT_USAGE, r.exit, r.toString());
        assertTrue(r.err.contains("--out"), r.toString());
    }

    /** Whether a temporary file of an atomic write (".NAME.tmp-...") is left in the folder. */
    private boolean leftoverTemporaryFile() {
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            return files.anyMatch(p -> p.getFileName().toString().contains(".tmp-"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
