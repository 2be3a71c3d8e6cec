package dev.cxr.model.image.dicom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.jaiimageio.jpeg2000.J2KImageWriteParam;
import dev.cxr.engine.CxrException;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.SplittableRandom;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.junit.jupiter.api.Test;

/**
 * Encapsulated frames made here by ImageIO's encoders (JPEG baseline; lossless JPEG 2000, whose
 * decoding must give back the very values encoded) and by the test's own RLE encoder, wrapped in
 * DICOM files with their fragments split at odd places, so that a fresh clone tests every
 * compressed path end to end. The test set's real files are checked in DicomTestSetTest.
 */
class CodecFrameTest {
    private static final int W = 37;
    private static final int H = 29;

    /** A smooth gradient with seeded noise: compresses like an image, never all zero. */
    private static int[] picture(int bits, int samples, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int max = (1 << bits) - 1;
        int[] v = new int[W * H * samples];
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                for (int c = 0; c < samples; c++) {
                    double base = (x * 0.6 + y * 0.4 + c * 7) / (W * 0.6 + H * 0.4 + 14);
                    v[(y * W + x) * samples + c] =
                            (int) Math.max(0, Math.min(max, base * max + r.nextInt(-max / 20, max / 20 + 1)));
                }
            }
        }
        return v;
    }

    private static BufferedImage image(int[] v, int type) {
        BufferedImage img = new BufferedImage(W, H, type);
        WritableRaster r = img.getRaster();
        r.setPixels(0, 0, W, H, v);
        return img;
    }

    private static byte[] encode(BufferedImage img, String format, javax.imageio.ImageWriteParam param)
            throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName(format).next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(ios);
            writer.write(null, new IIOImage(img, null, null), param);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    /** The frame in three fragments of uneven, even sizes (DICOM's rule), the last padded to even length. */
    private static byte[][] fragments(byte[] frame) {
        int a = frame.length / 3 / 2 * 2 + 2;
        int b = 2 * frame.length / 3 / 2 * 2;
        byte[] last = Arrays.copyOfRange(frame, b, frame.length + (frame.length - b) % 2);
        return new byte[][] {Arrays.copyOfRange(frame, 0, a), Arrays.copyOfRange(frame, a, b), last};
    }

    private static byte[] dicom(
            String syntax, String photometric, int samples, int bitsAllocated, int bitsStored, byte[][] fragments) {
        DicomBytes d = DicomReaderTest.start(DicomBytes.explicitLittle());
        d.pixelModule(H, W, samples, photometric, bitsAllocated, bitsStored, 0);
        if (samples == 3) {
            d.us(Tags.PLANAR_CONFIGURATION, 0);
        }
        d.encapsulated(fragments);
        return DicomBytes.part10(syntax, d.bytes());
    }

    @Test
    void jpegBaselineMatchesTheDecoderItWasWrittenFor() throws IOException {
        int[] v = picture(8, 1, 4);
        byte[] jpeg = encode(image(v, BufferedImage.TYPE_BYTE_GRAY), "jpeg", null);
        Raster direct = ImageIO.read(new ByteArrayInputStream(jpeg)).getRaster();
        int[] want = direct.getPixels(0, 0, W, H, (int[]) null);
        // whole, as one fragment (padded), and as three fragments: joined, they are the same stream
        byte[][] whole = {jpeg.length % 2 == 0 ? jpeg : Arrays.copyOf(jpeg, jpeg.length + 1)};
        for (byte[][] f : new byte[][][] {whole, fragments(jpeg)}) {
            DicomImage img = DicomReader.read("t.dcm", dicom("1.2.840.10008.1.2.4.50", "MONOCHROME2", 1, 8, 8, f));
            assertArrayEquals(want, img.storedValues());
        }
        int maxError = 0;
        for (int i = 0; i < v.length; i++) {
            maxError = Math.max(maxError, Math.abs(want[i] - v[i]));
        }
        assertTrue(maxError < 40, "the JPEG is a picture of the values, lossy: max error " + maxError);
    }

    @Test
    void jpegColourComesBackAsRgb() throws IOException {
        int[] v = picture(8, 3, 5);
        byte[] jpeg = encode(image(v, BufferedImage.TYPE_3BYTE_BGR), "jpeg", null);
        // ImageIO's own path to RGB (YCbCr converted, no ICC profile in this stream to apply)
        int[] want = ImageIO.read(new ByteArrayInputStream(jpeg)).getRaster().getPixels(0, 0, W, H, (int[]) null);
        DicomImage img =
                DicomReader.read("t.dcm", dicom("1.2.840.10008.1.2.4.50", "YBR_FULL_422", 3, 8, 8, fragments(jpeg)));
        assertArrayEquals(want, img.storedValues());
        assertArrayEquals(want, toInts(img.render().pixels()), "colour is shown as stored");
        double error = 0;
        for (int i = 0; i < v.length; i++) {
            error += Math.abs(want[i] - v[i]);
        }
        assertTrue(error / v.length < 12, "the RGB written, within JPEG's loss: mean error " + error / v.length);
    }

    private static int[] toInts(byte[] b) {
        int[] v = new int[b.length];
        for (int i = 0; i < b.length; i++) {
            v[i] = b[i] & 0xFF;
        }
        return v;
    }

    private static J2KImageWriteParam lossless(boolean componentTransform) {
        J2KImageWriteParam p = new J2KImageWriteParam();
        p.setLossless(true);
        p.setFilter(J2KImageWriteParam.FILTER_53);
        p.setWriteCodeStreamOnly(true);
        p.setComponentTransformation(componentTransform);
        return p;
    }

    @Test
    void losslessJpeg2000GivesBackTheValues() throws IOException {
        int[] v = picture(16, 1, 6);
        byte[] j2k = encode(image(v, BufferedImage.TYPE_USHORT_GRAY), "jpeg2000", lossless(false));
        assertEquals(0xFF4F, (j2k[0] & 0xFF) << 8 | (j2k[1] & 0xFF), "a bare codestream, as DICOM stores it");
        DicomImage img =
                DicomReader.read("t.dcm", dicom("1.2.840.10008.1.2.4.90", "MONOCHROME2", 1, 16, 16, fragments(j2k)));
        assertArrayEquals(v, img.storedValues());

        int[] rgb = picture(8, 3, 7);
        byte[] colour = encode(image(rgb, BufferedImage.TYPE_3BYTE_BGR), "jpeg2000", lossless(true));
        int cod = CodecFrame.indexOf(colour, new byte[] {(byte) 0xFF, 0x52}, colour.length);
        assertEquals(1, colour[cod + 8], "the COD marker says the components were transformed (RCT)");
        DicomImage c =
                DicomReader.read("t.dcm", dicom("1.2.840.10008.1.2.4.90", "YBR_RCT", 3, 8, 8, fragments(colour)));
        assertArrayEquals(rgb, c.storedValues(), "the codec undoes the reversible colour transform");
    }

    @Test
    void jpeg2000DamageThatJj2000WouldNotSurviveIsRefusedFirst() throws IOException {
        byte[] j2k = encode(image(picture(16, 1, 10), BufferedImage.TYPE_USHORT_GRAY), "jpeg2000", lossless(false));
        int sod = CodecFrame.indexOf(j2k, new byte[] {(byte) 0xFF, (byte) 0x93}, j2k.length);
        // FF FF at the start of the first packet header: JJ2000's bit reader would return 1 bits forever
        byte[] ffff = j2k.clone();
        ffff[sod + 2] = (byte) 0xFF;
        ffff[sod + 3] = (byte) 0xFF;
        CxrException hang = assertTimeoutPreemptively(
                Duration.ofSeconds(20),
                () -> assertThrows(
                        CxrException.class,
                        () -> DicomReader.read(
                                "t.dcm", dicom("1.2.840.10008.1.2.4.90", "MONOCHROME2", 1, 16, 16, fragments(ffff)))));
        assertTrue(hang.getMessage().contains("tile-part 0 has FFFF inside its data"), hang.getMessage());
        // cut short: JJ2000 would print a stack trace on stderr and throw ThreadDeath
        PrintStream stderr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            byte[] cut = Arrays.copyOf(j2k, (sod + j2k.length) / 2 / 2 * 2);
            CxrException e = assertThrows(
                    CxrException.class,
                    () -> DicomReader.read(
                            "t.dcm", dicom("1.2.840.10008.1.2.4.90", "MONOCHROME2", 1, 16, 16, fragments(cut))));
            assertTrue(
                    e.getMessage()
                            .matches(
                                    "t\\.dcm: damaged DICOM JPEG 2000 data: tile-part 0 claims \\d+ bytes, \\d+ are left"),
                    e.getMessage());
        } finally {
            System.setErr(stderr);
        }
        assertEquals("", captured.toString(StandardCharsets.UTF_8), "nothing printed by the decoder");
    }

    @Test
    void jpeg2000DecodesInParallel() throws Exception {
        // InputImages decodes a dataset's images on every core: JJ2000 must keep no shared state
        int[][] values = {picture(16, 1, 11), picture(16, 1, 12), picture(16, 1, 13)};
        byte[][] files = new byte[3][];
        for (int i = 0; i < 3; i++) {
            byte[] j2k = encode(image(values[i], BufferedImage.TYPE_USHORT_GRAY), "jpeg2000", lossless(false));
            files[i] = dicom("1.2.840.10008.1.2.4.90", "MONOCHROME2", 1, 16, 16, fragments(j2k));
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            java.util.List<java.util.concurrent.Future<int[]>> results = new java.util.ArrayList<>();
            for (int k = 0; k < 24; k++) {
                byte[] file = files[k % 3];
                results.add(pool.submit(() -> DicomReader.read("t.dcm", file).storedValues()));
            }
            for (int k = 0; k < 24; k++) {
                assertArrayEquals(values[k % 3], results.get(k).get(), "decode " + k);
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void rleThroughTheReader() {
        int[] v = RleDecoderTest.values(W * H, 16, 8);
        byte[] hi = new byte[v.length];
        byte[] lo = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            hi[i] = (byte) (v[i] >>> 8);
            lo[i] = (byte) v[i];
        }
        byte[] frame = RleDecoderTest.frame(hi, lo);
        DicomImage img =
                DicomReader.read("t.dcm", dicom("1.2.840.10008.1.2.5", "MONOCHROME2", 1, 16, 16, fragments(frame)));
        assertArrayEquals(v, img.storedValues());
    }

    @Test
    void aStreamThatDisagreesWithTheDataSetIsRefusedBeforeDecoding() throws IOException {
        byte[] jpeg = encode(image(picture(8, 1, 9), BufferedImage.TYPE_BYTE_GRAY), "jpeg", null);
        DicomBytes d = DicomReaderTest.start(DicomBytes.explicitLittle());
        d.pixelModule(H + 1, W, 1, "MONOCHROME2", 8, 8, 0);
        d.encapsulated(fragments(jpeg));
        CxrException e = assertThrows(
                CxrException.class,
                () -> DicomReader.read("t.dcm", DicomBytes.part10("1.2.840.10008.1.2.4.50", d.bytes())));
        assertTrue(
                e.getMessage().contains("the JPEG stream is 37x29 with 1 components, the data set says 37x30 with 1"),
                e.getMessage());

        byte[] cut = Arrays.copyOf(jpeg, jpeg.length / 2);
        CxrException damaged = assertThrows(
                CxrException.class,
                () -> DicomReader.read(
                        "t.dcm", dicom("1.2.840.10008.1.2.4.50", "MONOCHROME2", 1, 8, 8, fragments(cut))));
        assertTrue(damaged.getMessage().startsWith("t.dcm: damaged DICOM JPEG data"), damaged.getMessage());

        byte[] notJ2k = dicom("1.2.840.10008.1.2.4.91", "MONOCHROME2", 1, 8, 8, fragments(jpeg));
        assertTrue(assertThrows(CxrException.class, () -> DicomReader.read("t.dcm", notJ2k))
                .getMessage()
                .contains("no codestream header"));
    }

    @Test
    void twelveBitLossyJpegIsRefusedByItsHeaderToo() {
        // a .50 file whose stream is really 12-bit extended (SOF1, precision 12): refused by name, not by a decoder
        // error
        byte[] sof1 = {
            (byte) 0xFF,
            (byte) 0xD8,
            (byte) 0xFF,
            (byte) 0xC1,
            0,
            11,
            12,
            0,
            (byte) H,
            0,
            (byte) W,
            1,
            1,
            0x11,
            0,
            (byte) 0xFF,
            (byte) 0xD9
        };
        byte[] file = dicom("1.2.840.10008.1.2.4.50", "MONOCHROME2", 1, 8, 8, fragments(sof1));
        assertTrue(assertThrows(CxrException.class, () -> DicomReader.read("t.dcm", file))
                .getMessage()
                .contains("12-bit lossy JPEG"));
    }
}
