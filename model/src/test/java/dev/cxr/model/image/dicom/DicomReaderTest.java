package dev.cxr.model.image.dicom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cxr.engine.CxrException;
import dev.cxr.model.image.RgbImage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The data set parser and the reader's checks on hand-made files: every encoding, sequences and
 * items of both lengths, private and unknown-VR elements, odd lengths, corrupt lengths, and each
 * reason to refuse, in the order the test set's rule gives them.
 */
class DicomReaderTest {
    static final int ROWS = 6;
    static final int COLUMNS = 5;
    static final String EXPLICIT_LE = "1.2.840.10008.1.2.1";
    static final String IMPLICIT_LE = "1.2.840.10008.1.2";
    static final String EXPLICIT_BE = "1.2.840.10008.1.2.2";

    /** Signed 12-bit values from -2048 to 2047, seeded, never all zero. */
    static int[] signed12() {
        SplittableRandom r = new SplittableRandom(16);
        int[] v = new int[ROWS * COLUMNS];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextInt(-2048, 2048);
        }
        v[0] = -2048; // both ends of the range
        v[1] = 2047;
        return v;
    }

    /** The 16-bit words a writer stores for them, with garbage above bit 12 (an overlay in the high bits). */
    static int[] storedWords(int[] values) {
        SplittableRandom r = new SplittableRandom(17);
        int[] w = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            w[i] = (values[i] & 0xFFF) | r.nextInt(16) << 12;
        }
        return w;
    }

    /**
     * A signed 12-bit MR image of 6x5 pixels in the encoding of {@code d}, with {@code before} written
     * between the identifying elements and the pixel module (sequences, private elements, ...).
     */
    static byte[] image(DicomBytes d, Consumer<DicomBytes> before) {
        d.text(0x0008_0016, "UI", "1.2.840.10008.5.1.4.1.1.4");
        d.text(0x0008_0060, "CS", "MR");
        d.text(0x0010_0010, "PN", "Doe^Jane");
        d.text(Tags.PATIENT_ID, "LO", "PID-0042");
        d.text(0x0010_0030, "DA", "19700101");
        before.accept(d);
        d.pixelModule(ROWS, COLUMNS, 1, "MONOCHROME2", 16, 12, 1);
        d.text(Tags.WINDOW_CENTER, "DS", "100\\0");
        d.text(Tags.WINDOW_WIDTH, "DS", "2001\\1");
        d.raw(Tags.PIXEL_DATA, "OW", d.words(storedWords(signed12())));
        return d.bytes();
    }

    static byte[] image(DicomBytes d) {
        return image(d, x -> {});
    }

    /** The rendering by the first window (c 100, w 2001), computed here from the linear function. */
    static int[] expectedRendering() {
        int[] v = signed12();
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            double y = Math.max(0, Math.min(1, (v[i] - 99.5) / 2000 + 0.5));
            out[i] = (int) Math.floor(255 * y);
        }
        return out;
    }

    /** A data set opened by an element of group 0008, as a file without preamble must start (the SOP Class). */
    static DicomBytes start(DicomBytes d) {
        return d.text(0x0008_0016, "UI", "1.2.840.10008.5.1.4.1.1.7");
    }

    static DicomImage read(byte[] file) {
        return DicomReader.read("test.dcm", file);
    }

    static void assertDecodes(byte[] file) {
        DicomImage img = read(file);
        assertEquals(COLUMNS, img.width());
        assertEquals(ROWS, img.height());
        assertArrayEquals(signed12(), img.storedValues(), "stored values cut to 12 bits and sign-extended");
        RgbImage rgb = img.render();
        int[] want = expectedRendering();
        for (int i = 0; i < want.length; i++) {
            for (int c = 0; c < 3; c++) {
                assertEquals(want[i], rgb.pixels()[i * 3 + c] & 0xFF, "pixel " + i + " channel " + c);
            }
        }
    }

    static String refusal(byte[] file) {
        CxrException e = assertThrows(CxrException.class, () -> read(file));
        assertTrue(e.getMessage().startsWith("test.dcm: "), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e.getMessage();
    }

    @Test
    void implicitLittleEndianWithNoPreambleAndNoFileMeta() {
        byte[] file = image(DicomBytes.implicitLittle());
        assertEquals(0x08, file[0]); // a bare data set starting with group 0008
        assertTrue(DicomReader.looksLikeDicom(file));
        assertDecodes(file);
    }

    @Test
    void explicitLittleEndianWithNoPreambleAndNoFileMeta() {
        assertDecodes(image(DicomBytes.explicitLittle()));
    }

    @Test
    void explicitBigEndianWithNoPreambleAndNoFileMeta() {
        byte[] file = image(DicomBytes.explicitBig());
        assertEquals(0x00, file[0]);
        assertEquals(0x08, file[1]);
        assertDecodes(file);
    }

    @Test
    void part10InEverySyntaxOfTheDataSet() {
        assertDecodes(DicomBytes.part10(IMPLICIT_LE, image(DicomBytes.implicitLittle())));
        assertDecodes(DicomBytes.part10(EXPLICIT_LE, image(DicomBytes.explicitLittle())));
        assertDecodes(DicomBytes.part10(EXPLICIT_BE, image(DicomBytes.explicitBig())));
    }

    @Test
    void fileMetaWithoutThePreamble() {
        byte[] part10 = DicomBytes.part10(EXPLICIT_BE, image(DicomBytes.explicitBig()));
        byte[] bare = java.util.Arrays.copyOfRange(part10, 132, part10.length);
        assertEquals(0x02, bare[0]); // group 0002, little endian
        assertDecodes(bare);
    }

    @Test
    void fileMetaSayingExplicitOverAnImplicitDataSet() {
        assertDecodes(DicomBytes.part10(EXPLICIT_LE, image(DicomBytes.implicitLittle())));
    }

    @Test
    void deflatedExplicitLittleEndian() {
        byte[] ds = image(DicomBytes.explicitLittle());
        Deflater deflater = new Deflater(9, true);
        deflater.setInput(ds);
        deflater.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] chunk = new byte[256];
        while (!deflater.finished()) {
            out.write(chunk, 0, deflater.deflate(chunk));
        }
        deflater.end();
        assertTrue(out.size() < ds.length, "the data set was compressed");
        assertDecodes(DicomBytes.part10("1.2.840.10008.1.2.1.99", out.toByteArray()));
    }

    /** Sequences of both lengths with nested items, private elements of every kind, and an icon image. */
    static void clutter(DicomBytes d) {
        DicomBytes nested = d.item().text(0x0008_1150, "UI", "1.2.3").text(0x0008_1155, "UI", "1.2.3.4.5");
        DicomBytes withNested = d.item()
                .text(0x0008_0100, "SH", "CODE")
                .sequence(0x0040_A170, false, false, nested); // defined length inside undefined
        d.sequence(0x0008_1140, true, true, nested, withNested);
        d.text(0x0009_0010, "LO", "VENDOR"); // private creator
        d.sequence(0x0009_1001, true, true, d.item().text(0x0009_1002, "LO", "private item"));
        d.raw(0x0009_1003, "OB", new byte[] {1, 2, 3}); // odd length
        // an icon image: its own pixel module and Pixel Data, to be ignored
        DicomBytes icon = d.item().pixelModule(2, 2, 1, "MONOCHROME2", 8, 8, 0);
        icon.raw(Tags.PIXEL_DATA, "OB", new byte[] {9, 8, 7, 6});
        d.sequence(0x0088_0200, true, false, icon);
        d.sequence(0x0040_0275, false, true, d.item(), d.item()); // empty items
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"implicit LE", "explicit LE", "explicit BE"})
    void sequencesOfBothLengthsPrivateElementsAndIconsAreParsedPast(String encoding) {
        DicomBytes d = switch (encoding) {
            case "implicit LE" -> DicomBytes.implicitLittle();
            case "explicit LE" -> DicomBytes.explicitLittle();
            default -> DicomBytes.explicitBig();
        };
        assertDecodes(image(d, DicomReaderTest::clutter));
    }

    @Test
    void anUnknownVrOfUndefinedLengthHoldsImplicitLittleEndian() {
        // PS3.5 6.2.2: an explicit-VR writer that does not know a sequence writes it as UN, in implicit VR LE
        DicomBytes inner = DicomBytes.implicitLittle().text(0x0008_0100, "SH", "CODE");
        for (DicomBytes d : new DicomBytes[] {DicomBytes.explicitLittle(), DicomBytes.explicitBig()}) {
            byte[] file = image(d, x -> {
                DicomBytes seq = DicomBytes.implicitLittle().sequence(0x0008_1140, true, true, inner);
                byte[] body = seq.bytes();
                // the UN header in the data set's encoding, then the body as implicit LE without its own header
                x.header(0x0009_1010, "UN", DicomBytes.UNDEFINED);
                x.bytes(java.util.Arrays.copyOfRange(body, 8, body.length));
            });
            assertDecodes(file);
        }
    }

    @Test
    void oddLengthValuesKeepTheParserInStep() {
        assertDecodes(image(DicomBytes.explicitLittle(), d -> {
            d.raw(0x0008_0080, "LO", "ABCDE".getBytes(StandardCharsets.US_ASCII));
            d.raw(0x0008_1030, "LO", "X".getBytes(StandardCharsets.US_ASCII));
        }));
        assertDecodes(image(DicomBytes.implicitLittle(), d -> d.raw(0x0008_0080, "LO", new byte[] {'A', 'B', 'C'})));
    }

    @Test
    void aCorruptLengthIsRefusedWithoutAllocatingIt() {
        DicomBytes implicit = DicomBytes.implicitLittle().text(0x0008_0060, "CS", "MR");
        implicit.header(0x0008_0080, "", 0xFFFF_FFF0L).bytes(new byte[40]);
        String m = refusal(implicit.bytes());
        assertTrue(m.contains("truncated") && m.contains("claims 4294967280 bytes, 40 are left"), m);

        DicomBytes explicit = DicomBytes.explicitLittle().text(0x0008_0060, "CS", "MR");
        explicit.header(0x0009_1001, "OB", 0x7FFF_FFFFL).bytes(new byte[12]);
        assertTrue(refusal(explicit.bytes()).contains("claims 2147483647 bytes, 12 are left"));

        DicomBytes item = DicomBytes.explicitLittle().text(0x0008_0060, "CS", "MR");
        item.header(0x0008_1140, "SQ", DicomBytes.UNDEFINED)
                .header(Tags.ITEM, "", 0x7FFF_0000L)
                .bytes(new byte[20]);
        assertTrue(refusal(item.bytes()).contains("an item of (0008,1140) claims 2147418112 bytes"));
    }

    @Test
    void aCorruptFragmentLengthIsTruncatedPixelData() {
        DicomBytes d = DicomBytes.explicitLittle();
        d.pixelModule(ROWS, COLUMNS, 1, "MONOCHROME2", 8, 8, 0);
        d.header(Tags.PIXEL_DATA, "OB", DicomBytes.UNDEFINED)
                .header(Tags.ITEM, "", 0)
                .header(Tags.ITEM, "", 0x7FFF_FFF0L)
                .bytes(new byte[30]);
        assertTrue(refusal(DicomBytes.part10("1.2.840.10008.1.2.5", d.bytes()))
                .contains("truncated DICOM file: it ends inside the encapsulated pixel data"));
    }

    @Test
    void garbageWhereAVrBelongsIsRefused() {
        DicomBytes d = DicomBytes.explicitLittle().text(0x0008_0060, "CS", "MR");
        d.bytes(new byte[] {0x08, 0x00, (byte) 0x80, 0x00, 'x', 'y', 2, 0, 'A', 'B'});
        assertTrue(refusal(d.bytes()).contains("element (0008,0080) has no valid VR"));
    }

    @Test
    void sequencesNestedTooDeepAreRefused() {
        DicomBytes inner = DicomBytes.explicitLittle().text(0x0008_0100, "SH", "CODE");
        for (int i = 0; i < DataSetParser.MAX_DEPTH + 2; i++) {
            inner = DicomBytes.explicitLittle().sequence(0x0008_1140, true, true, inner);
        }
        byte[] deep = inner.bytes();
        byte[] file = DicomBytes.explicitLittle()
                .text(0x0008_0060, "CS", "MR")
                .bytes(deep)
                .bytes();
        assertTrue(refusal(file).contains("nested deeper than 16"));
    }

    @Test
    void refusalsInTheOrderOfTheRule() {
        // float pixel data comes first, even with no Pixel Data
        DicomBytes f = start(DicomBytes.explicitLittle()).pixelModule(ROWS, COLUMNS, 1, "MONOCHROME2", 32, 32, 0);
        f.raw(Tags.FLOAT_PIXEL_DATA, "OF", new byte[ROWS * COLUMNS * 4]);
        assertTrue(refusal(f.bytes()).contains("float pixel data"));

        DicomBytes none = DicomBytes.implicitLittle().text(0x0008_0060, "CS", "RTPLAN");
        assertTrue(refusal(none.bytes()).contains("no pixel data (Modality RTPLAN)"));

        DicomBytes noRows = start(DicomBytes.explicitLittle())
                .us(Tags.COLUMNS, 5)
                .us(Tags.BITS_ALLOCATED, 8)
                .text(Tags.PHOTOMETRIC_INTERPRETATION, "CS", "MONOCHROME2");
        noRows.raw(Tags.PIXEL_DATA, "OB", new byte[30]);
        assertTrue(refusal(noRows.bytes()).contains("Rows (0028,0010) is missing"));

        // truncated before multi-frame; multi-frame before the transfer syntax
        DicomBytes frames = start(DicomBytes.explicitLittle()).pixelModule(ROWS, COLUMNS, 1, "MONOCHROME2", 8, 8, 0);
        frames.text(Tags.NUMBER_OF_FRAMES, "IS", "3");
        byte[] twoFrames =
                frames.raw(Tags.PIXEL_DATA, "OB", new byte[2 * ROWS * COLUMNS]).bytes();
        assertTrue(refusal(twoFrames).contains("truncated DICOM file: pixel data has 60 of 90 bytes"));
        DicomBytes three = start(DicomBytes.explicitLittle()).pixelModule(ROWS, COLUMNS, 1, "MONOCHROME2", 8, 8, 0);
        three.text(Tags.NUMBER_OF_FRAMES, "IS", "3");
        three.encapsulated(new byte[8], new byte[8], new byte[8]);
        assertTrue(refusal(DicomBytes.part10("1.2.840.10008.1.2.4.80", three.bytes()))
                .contains("DICOM multi-frame image (3 frames)"));

        DicomBytes ls = start(DicomBytes.explicitLittle()).pixelModule(ROWS, COLUMNS, 1, "MONOCHROME2", 8, 8, 0);
        byte[] lsData = ls.encapsulated(new byte[8]).bytes();
        assertTrue(refusal(DicomBytes.part10("1.2.840.10008.1.2.4.80", lsData))
                .contains("unsupported transfer syntax JPEG-LS Lossless Image Compression (1.2.840.10008.1.2.4.80)"));
        assertTrue(refusal(DicomBytes.part10("1.2.840.10008.1.2.4.201", lsData))
                .contains("unsupported transfer syntax High-Throughput JPEG 2000 Image Compression (Lossless Only)"));
        assertTrue(refusal(DicomBytes.part10("1.2.3.4.5", lsData)).contains("unsupported transfer syntax 1.2.3.4.5:"));

        DicomBytes twelve = start(DicomBytes.explicitLittle()).pixelModule(ROWS, COLUMNS, 1, "MONOCHROME2", 16, 12, 0);
        byte[] twelveData = twelve.encapsulated(new byte[8]).bytes();
        assertTrue(
                refusal(DicomBytes.part10("1.2.840.10008.1.2.4.51", twelveData)).contains("12-bit lossy JPEG"));

        DicomBytes ybr = start(DicomBytes.explicitLittle()).pixelModule(ROWS, COLUMNS, 3, "YBR_PARTIAL_420", 8, 8, 0);
        ybr.raw(Tags.PIXEL_DATA, "OB", new byte[ROWS * COLUMNS * 3]);
        assertTrue(refusal(ybr.bytes()).contains("unsupported DICOM photometric interpretation YBR_PARTIAL_420"));

        DicomBytes wide = start(DicomBytes.explicitLittle()).pixelModule(ROWS, COLUMNS, 1, "MONOCHROME2", 32, 32, 0);
        wide.raw(Tags.PIXEL_DATA, "OB", new byte[ROWS * COLUMNS * 4]);
        assertTrue(refusal(wide.bytes()).contains("unsupported DICOM MONOCHROME2 image with 1 sample of 32 bits"));

        DicomBytes rgb16 = start(DicomBytes.explicitLittle()).pixelModule(ROWS, COLUMNS, 3, "RGB", 16, 16, 0);
        rgb16.raw(Tags.PIXEL_DATA, "OB", new byte[ROWS * COLUMNS * 6]);
        assertTrue(refusal(rgb16.bytes()).contains("unsupported DICOM RGB image with 3 samples of 16 bits"));
    }

    @Test
    void imagesOverTheSizeLimitAreRefusedBeforeDecoding() {
        DicomBytes d = start(DicomBytes.explicitLittle()).pixelModule(20000, 20000, 1, "MONOCHROME2", 8, 8, 0);
        d.encapsulated(new byte[100]);
        assertTrue(refusal(DicomBytes.part10("1.2.840.10008.1.2.5", d.bytes()))
                .contains("over cxr's limit of 100 megapixels"));
    }

    @Test
    void notDicom() {
        assertTrue(refusal("patient notes\n".repeat(20).getBytes(StandardCharsets.US_ASCII))
                .contains("not a DICOM file"));
        assertTrue(refusal(new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 13})
                .contains("not a DICOM file"));
        byte[] magicTooEarly = new byte[200];
        System.arraycopy("DICM".getBytes(StandardCharsets.US_ASCII), 0, magicTooEarly, 0, 4);
        assertTrue(refusal(magicTooEarly).contains("not a DICOM file"));
        assertTrue(refusal(new byte[0]).contains("not a DICOM file"));
        // group 0008 but an implicit length no first element has
        assertFalse(DicomReader.looksLikeDicom(new byte[] {8, 0, 0x16, 0, 0, 0, 0, 0x10}));
        assertTrue(DicomReader.looksLikeDicom(new byte[] {8, 0, 0x16, 0, 0x1A, 0, 0, 0}));
    }

    @Test
    void colourNativeInterleavedPlanarAndYbrFull() {
        int[] rgb = new int[ROWS * COLUMNS * 3];
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] = r.nextInt(256);
        }
        byte[] interleaved = new byte[rgb.length];
        byte[] planar = new byte[rgb.length];
        int n = ROWS * COLUMNS;
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < 3; c++) {
                interleaved[i * 3 + c] = (byte) rgb[i * 3 + c];
                planar[c * n + i] = (byte) rgb[i * 3 + c];
            }
        }
        for (int planarConfiguration = 0; planarConfiguration < 2; planarConfiguration++) {
            DicomBytes d = start(DicomBytes.explicitLittle()).pixelModule(ROWS, COLUMNS, 3, "RGB", 8, 8, 0);
            d.us(Tags.PLANAR_CONFIGURATION, planarConfiguration);
            d.raw(Tags.PIXEL_DATA, "OB", planarConfiguration == 0 ? interleaved : planar);
            DicomImage img = read(d.bytes());
            assertArrayEquals(rgb, img.storedValues(), "planar configuration " + planarConfiguration);
            assertArrayEquals(interleaved, img.render().pixels());
        }
        // YBR_FULL: gray stays gray, Cr pushes red up and green down (PS3.3 C.7.6.3.1.2)
        DicomBytes y = start(DicomBytes.explicitLittle()).pixelModule(1, 3, 3, "YBR_FULL", 8, 8, 0);
        y.raw(Tags.PIXEL_DATA, "OB", new byte[] {
            (byte) 128, (byte) 128, (byte) 128, 100, (byte) 128, (byte) 178, (byte) 200, (byte) 28, (byte) 128, 0
        });
        assertArrayEquals(
                new int[] {128, 128, 128, 170, 64, 100, 200, 234, 23},
                read(y.bytes()).storedValues());
    }

    @Test
    void eightBitOwInBigEndianHoldsTwoPixelsPerSwappedWord() {
        // PS3.5 8.1.1 / 7.3: OW in big endian stores 16-bit words high byte first, pixel 1 in the low byte
        DicomBytes d = start(DicomBytes.explicitBig()).pixelModule(1, 4, 1, "MONOCHROME2", 8, 8, 0);
        d.raw(Tags.PIXEL_DATA, "OW", new byte[] {20, 10, 40, 30});
        assertArrayEquals(new int[] {10, 20, 30, 40}, read(d.bytes()).storedValues());
        DicomBytes ob = start(DicomBytes.explicitBig()).pixelModule(1, 4, 1, "MONOCHROME2", 8, 8, 0);
        ob.raw(Tags.PIXEL_DATA, "OB", new byte[] {10, 20, 30, 40});
        assertArrayEquals(new int[] {10, 20, 30, 40}, read(ob.bytes()).storedValues());
    }

    @Test
    void unsignedAndEightBitValuesAreCutToBitsStored() {
        DicomBytes d = start(DicomBytes.explicitLittle()).pixelModule(1, 4, 1, "MONOCHROME2", 8, 6, 0);
        d.raw(Tags.PIXEL_DATA, "OB", new byte[] {(byte) 0xFF, (byte) 0xC1, 0x3F, 0x40});
        assertArrayEquals(new int[] {63, 1, 63, 0}, read(d.bytes()).storedValues());
        DicomBytes s = start(DicomBytes.explicitLittle()).pixelModule(1, 4, 1, "MONOCHROME2", 16, 16, 1);
        s.raw(Tags.PIXEL_DATA, "OW", s.words(0xFFFF, 0x8000, 0x7FFF, 0x0001));
        assertArrayEquals(new int[] {-1, -32768, 32767, 1}, read(s.bytes()).storedValues());
    }

    @Test
    void noPatientDataInAnythingTheReaderSays() throws Exception {
        byte[] file = DicomBytes.part10(EXPLICIT_LE, image(DicomBytes.explicitLittle()));
        DicomImage img = read(file);
        String hash = HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest("PID-0042".getBytes(StandardCharsets.US_ASCII)))
                .substring(0, 16);
        assertEquals(hash, img.patientIdHash().orElseThrow());
        assertEquals("DicomImage[5x6 MONOCHROME2, Explicit VR Little Endian (1.2.840.10008.1.2.1)]", img.toString());
        // refusals at every step name no patient data either
        byte[] cut = java.util.Arrays.copyOf(file, file.length - 7);
        for (String m : new String[] {img.toString(), refusal(cut)}) {
            for (String secret : new String[] {"Doe", "Jane", "PID-0042", "19700101"}) {
                assertFalse(m.contains(secret), m);
            }
        }
        DicomBytes anonymous = start(DicomBytes.explicitLittle()).pixelModule(1, 1, 1, "MONOCHROME2", 8, 8, 0);
        anonymous.text(Tags.PATIENT_ID, "LO", "  ");
        assertTrue(read(anonymous.raw(Tags.PIXEL_DATA, "OB", new byte[] {1, 0}).bytes())
                .patientIdHash()
                .isEmpty());
    }
}
