package dev.cxr.model.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cxr.engine.testing.H5;
import dev.cxr.engine.testing.Resources;
import dev.cxr.engine.testing.SharedReference;
import dev.cxr.model.Vgg16;
import dev.cxr.model.testing.VggTestFiles;
import io.jhdf.HdfFile;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Resize against OpenCV's cv2.resize INTER_LINEAR bit for bit: on random images of many sizes
 * (up, down, exact halving, unchanged, 1x1), and on real X-rays decoded by cxr, against the
 * {@code resized_rgb_u8} TensorFlow's pipeline saw (two in the test resources; six in
 * ../shared/reference when present). Decoding is part of the X-ray checks: cxr's JPEG decode equals
 * OpenCV's on these files, so decode + resize must match exactly too.
 */
class ResizeTest {

    @Test
    void matchesOpenCvOnEveryCase() {
        try (HdfFile h5 = new HdfFile(Resources.path("images/opencv-resized.h5"))) {
            int cases = 0;
            for (Node n : h5) {
                Group g = (Group) n;
                int[] in = H5.dims(h5, g.getPath() + "src");
                int[] out = H5.dims(h5, g.getPath() + "out");
                RgbImage src = new RgbImage(in[1], in[0], VggTestFiles.bytes(h5, g.getPath() + "src"));
                RgbImage got = Resize.bilinear(src, out[1], out[0]);
                assertArrayEquals(
                        VggTestFiles.bytes(h5, g.getPath() + "out"),
                        got.pixels(),
                        n.getName() + ": " + in[1] + "x" + in[0] + " -> " + out[1] + "x" + out[0]);
                cases++;
            }
            assertEquals(12, cases, "resize cases in the fixture");
        }
    }

    @Test
    void decodeAndResizeMatchTheNarrowFixture() {
        Optional<Path> data = VggTestFiles.dataset();
        assumeTrue(data.isPresent(), "data/covid-xray-50 is absent: skipping");
        Path expected = Resources.path("reference/small/vgg16-narrow-seed11-expected.h5");
        assertEquals(2, compareAll(expected, data.get()));
    }

    @Test
    void decodeAndResizeMatchTheFullReference() {
        Optional<Path> expected = SharedReference.file("vgg16-seed1-expected.h5");
        assumeTrue(expected.isPresent(), SharedReference.ABSENT);
        Path data = expected.get().getParent().resolveSibling("datasets/covid-xray-50");
        assertEquals(6, compareAll(expected.get(), data));
    }

    /** Compares every image of {@code resized_rgb_u8}; returns how many. */
    static int compareAll(Path expectedFile, Path dataset) {
        int n = 0;
        try (HdfFile h5 = new HdfFile(expectedFile)) {
            for (Node node : (Group) h5.getChild("resized_rgb_u8")) {
                String name = node.getName();
                Path image = findImage(dataset, name);
                RgbImage got = Resize.bilinear(ImageDecoder.read(image), Vgg16.INPUT_SIZE, Vgg16.INPUT_SIZE);
                byte[] want = VggTestFiles.bytes(h5, "resized_rgb_u8/" + name);
                assertArrayEquals(want, got.pixels(), name + ": decode + resize differs from OpenCV's");
                n++;
            }
        }
        return n;
    }

    static Path findImage(Path dataset, String fileName) {
        for (String cls : new String[] {"covid", "normal"}) {
            Path p = dataset.resolve(cls).resolve(fileName);
            if (p.toFile().isFile()) {
                return p;
            }
        }
        assertTrue(false, fileName + " not found in " + dataset);
        return null;
    }
}
