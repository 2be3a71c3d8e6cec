package dev.cxr.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cxr.model.image.ImageDecoder;
import dev.cxr.model.image.Resize;
import dev.cxr.model.image.RgbImage;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cxr view} on the model module's DICOM test files and a bundled JPEG: the PNG it writes is
 * the test set's reference rendering (a gray DICOM), the stored RGB (a colour one), the decoded JPEG,
 * or the 224x224 resize of it; and a file it cannot read is one line.
 */
class ViewCommandTest {
    /** Renderings within one grey level of the references, as the model's DicomTestSetTest allows. */
    private static final int RENDER_TOLERANCE = 1;

    @TempDir
    Path dir;

    private static Path dicom(String name) {
        return CliRun.repoFile("model/src/test/resources/dicom/" + name);
    }

    private static int[] samples(Path png) throws IOException {
        Raster r = ImageIO.read(png.toFile()).getRaster();
        return r.getPixels(0, 0, r.getWidth(), r.getHeight(), (int[]) null);
    }

    private static BufferedImage readPng(Path png) throws IOException {
        return ImageIO.read(png.toFile());
    }

    @Test
    void aGrayDicomIsWrittenAsTheViewerShowsIt() throws IOException {
        Path out = dir.resolve("mr.png");
        CliRun r = CliRun.of("view", dicom("files/MR_small_bigendian.dcm").toString(), "--out", out.toString());
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("(64x64, grayscale)"), r.out());
        BufferedImage png = readPng(out);
        assertEquals(BufferedImage.TYPE_BYTE_GRAY, png.getType(), "one band of 8 bits");
        int[] got = samples(out);
        int[] want = samples(dicom("reference/MR_small_RLE.png")); // the big-endian file's reference too
        assertEquals(want.length, got.length);
        for (int i = 0; i < want.length; i++) {
            assertTrue(Math.abs(want[i] - got[i]) <= RENDER_TOLERANCE, "pixel " + i + ": " + got[i] + " vs " + want[i]);
        }
        assertFalse(leftovers(), "no temporary file is left beside the output");
    }

    @Test
    void aColourDicomIsItsStoredRgb() throws IOException {
        Path out = dir.resolve("rgb.png");
        CliRun r = CliRun.of("view", dicom("files/SC_rgb.dcm").toString(), "--out", out.toString());
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("(100x100, RGB)"), r.out());
        assertArrayEquals(samples(dicom("reference/SC_rgb.png")), samples(out));
    }

    @Test
    void theNetworkInputIsThe224Resize() throws IOException {
        Path jpeg = CliRun.repoFile("data/covid-xray-50/normal/person525_bacteria_2216.jpeg");
        for (Path image : new Path[] {dicom("files/image_dfl.dcm"), jpeg}) {
            Path full = dir.resolve("full.png");
            Path net = dir.resolve("net.png");
            assertEquals(
                    0,
                    CliRun.of("view", image.toString(), "--out", full.toString())
                            .exit());
            CliRun r = CliRun.of("view", image.toString(), "--out", net.toString(), "--network-input");
            assertEquals(0, r.exit(), r.toString());
            assertTrue(r.out().contains("(224x224, "), r.out());
            RgbImage decoded = ImageDecoder.read(image);
            assertArrayEquals(gray(decoded), samples(full), image + ": the full-size picture");
            assertArrayEquals(gray(Resize.bilinear(decoded, 224, 224)), samples(net), image + ": the network input");
        }
    }

    /** One band of a gray image (the tests' images are gray). */
    private static int[] gray(RgbImage img) {
        int[] g = new int[img.width() * img.height()];
        for (int i = 0; i < g.length; i++) {
            g[i] = img.get(i % img.width(), i / img.width(), 0);
        }
        return g;
    }

    @Test
    void whatCannotBeReadIsOneLine() throws IOException {
        Path out = dir.resolve("x.png");
        Path notDicom = dicom("files/not_dicom.dcm");
        CliRun r = CliRun.of("view", notDicom.toString(), "--out", out.toString());
        assertEquals(1, r.exit());
        assertTrue(r.lastErrorLine().startsWith("cxr: " + notDicom + ": not a DICOM file"), r.err());
        CliRun frames = CliRun.of("view", dicom("files/emri_small.dcm").toString(), "--out", out.toString());
        assertEquals(1, frames.exit());
        assertTrue(frames.lastErrorLine().contains("multi-frame image (10 frames)"), frames.err());
        CliRun folder = CliRun.of("view", dicom("files/SC_rgb.dcm").toString(), "--out", dir.toString());
        assertEquals(1, folder.exit());
        assertTrue(folder.lastErrorLine().contains("is a folder: --out needs a file name"), folder.err());
        CliRun small =
                CliRun.of("view", dicom("files/SC_rgb.dcm").toString(), "--out", out.toString(), "--network-input");
        assertEquals(0, small.exit(), "100x100 is large enough for the network: " + small.err());
        assertFalse(Files.exists(dir.resolve("never.png")));
        for (CliRun run : new CliRun[] {r, frames, folder}) {
            assertFalse(run.err().contains("\tat "), "no stack trace: " + run.err());
        }
    }

    private boolean leftovers() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.anyMatch(p -> p.getFileName().toString().contains(".tmp-"));
        }
    }
}
