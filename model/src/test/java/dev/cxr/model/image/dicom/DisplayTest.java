package dev.cxr.model.image.dicom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cxr.model.image.RgbImage;
import org.junit.jupiter.api.Test;

/**
 * The display pipeline on values whose renderings were worked out by hand from PS3.3 C.11: the
 * linear window and its threshold, min-max, MONOCHROME1, rescale, the VOI LUT with 8- and 12-bit
 * entries, the Modality LUT, the other VOI LUT Functions, Presentation LUT Shape and palettes.
 */
class DisplayTest {
    /** A one-row MONOCHROME2 image of 16-bit signed values, with the given extra attributes. */
    private static int[] render(int[] stored, String photometric, java.util.function.Consumer<DicomBytes> attributes) {
        DicomBytes d = DicomReaderTest.start(DicomBytes.explicitLittle());
        d.pixelModule(1, stored.length, 1, photometric, 16, 16, 1);
        attributes.accept(d);
        int[] words = new int[stored.length];
        for (int i = 0; i < stored.length; i++) {
            words[i] = stored[i] & 0xFFFF;
        }
        d.raw(Tags.PIXEL_DATA, "OW", d.words(words));
        return gray(DicomReader.read("t.dcm", d.bytes()).render());
    }

    private static int[] render(int[] stored, java.util.function.Consumer<DicomBytes> attributes) {
        return render(stored, "MONOCHROME2", attributes);
    }

    /** The gray levels of a rendering, checking that R, G and B agree. */
    private static int[] gray(RgbImage img) {
        int[] g = new int[img.width() * img.height()];
        for (int i = 0; i < g.length; i++) {
            g[i] = img.get(i % img.width(), i / img.width(), 0);
            assertEquals(g[i], img.get(i % img.width(), i / img.width(), 1));
            assertEquals(g[i], img.get(i % img.width(), i / img.width(), 2));
        }
        return g;
    }

    private static void window(DicomBytes d, String center, String width) {
        d.text(Tags.WINDOW_CENTER, "DS", center).text(Tags.WINDOW_WIDTH, "DS", width);
    }

    @Test
    void linearWindow() {
        // c 100, w 201: y = (m - 99.5) / 200 + 0.5; 0 -> 0.0025 -> 0.64; 100 -> 0.5025 -> 128.14; 150 -> 0.7525
        // -> 191.89; 200 -> 1.0025, clamped to 1
        assertArrayEquals(
                new int[] {0, 0, 128, 191, 255, 255},
                render(new int[] {-300, 0, 100, 150, 200, 30000}, d -> window(d, "100", "201")));
        // the first of several windows; spaces and a sign are allowed in DS
        assertArrayEquals(
                new int[] {0, 128, 191, 255},
                render(new int[] {0, 100, 150, 200}, d -> window(d, " +100\\5", "201 \\7")));
    }

    @Test
    void aWindowOfWidthOneIsAThreshold() {
        assertArrayEquals(new int[] {0, 0, 255, 255}, render(new int[] {-5, 9, 10, 11}, d -> window(d, "10", "1")));
    }

    @Test
    void monochrome1IsInverted() {
        // 1 - 0.0025 = 0.9975 -> 254.36; 1 - 0.5025 = 0.4975 -> 126.86; 1 - 0.7525 = 0.2475 -> 63.11
        assertArrayEquals(
                new int[] {255, 254, 126, 63, 0},
                render(new int[] {-300, 0, 100, 150, 200}, "MONOCHROME1", d -> window(d, "100", "201")));
        assertArrayEquals(new int[] {255, 191, 127, 0}, render(new int[] {-5, 0, 5, 15}, "MONOCHROME1", d -> {}));
    }

    @Test
    void minMaxWithoutAWindow() {
        assertArrayEquals(new int[] {0, 63, 127, 255}, render(new int[] {-5, 0, 5, 15}, d -> {}));
        assertArrayEquals(new int[] {0, 0, 0}, render(new int[] {7, 7, 7}, d -> {}), "a flat image is black, not NaN");
    }

    @Test
    void rescaleComesFirst() {
        // m = 55 * 2 - 10 = 100 -> (100 - 99.5) / 200 + 0.5 = 0.5025 -> 128.14
        assertArrayEquals(new int[] {128, 0}, render(new int[] {55, 5}, d -> {
            window(d, "100", "201");
            d.text(Tags.RESCALE_SLOPE, "DS", "2").text(Tags.RESCALE_INTERCEPT, "DS", "-10");
        }));
        // a slope of 0 is taken as absent (1), as the references do
        assertArrayEquals(new int[] {0, 255}, render(new int[] {0, 10}, d -> d.text(Tags.RESCALE_SLOPE, "DS", "0")));
    }

    private static DicomBytes lutItem(DicomBytes d, int first, int bits, int... entries) {
        return d.item()
                .us(Tags.LUT_DESCRIPTOR, entries.length, first & 0xFFFF, bits)
                .raw(Tags.LUT_DATA, "OW", d.words(entries));
    }

    @Test
    void voiLutSequenceBeforeTheWindow() {
        // floor(m) - 10 indexes {0, 50, 200, 255}, clamped at both ends; the window is ignored
        assertArrayEquals(new int[] {0, 0, 50, 200, 255, 255}, render(new int[] {8, 10, 11, 12, 13, 20}, d -> {
            d.sequence(Tags.VOI_LUT_SEQUENCE, true, true, lutItem(d, 10, 8, 0, 50, 200, 255));
            window(d, "0", "2");
        }));
        // 12-bit entries: 255 * out / 4095 in integers (1000 -> 62.27); MONOCHROME1 uses 4095 - out (3095 -> 192.7)
        assertArrayEquals(
                new int[] {0, 62, 255},
                render(
                        new int[] {0, 1, 2},
                        d -> d.sequence(Tags.VOI_LUT_SEQUENCE, false, false, lutItem(d, 0, 12, 0, 1000, 4095))));
        assertArrayEquals(
                new int[] {255, 192, 0},
                render(
                        new int[] {0, 1, 2},
                        "MONOCHROME1",
                        d -> d.sequence(Tags.VOI_LUT_SEQUENCE, false, false, lutItem(d, 0, 12, 0, 1000, 4095))));
        // a negative first mapped value for signed pixels: 0xFFFE is -2
        assertArrayEquals(
                new int[] {10, 10, 20, 30},
                render(
                        new int[] {-5, -2, -1, 0},
                        d -> d.sequence(Tags.VOI_LUT_SEQUENCE, false, true, lutItem(d, -2, 8, 10, 20, 30))));
    }

    @Test
    void voiLutSequenceInImplicitVr() {
        // no VR says SQ here: the reader knows the tag, and the LUT's words are read in the data set's order
        DicomBytes d = DicomReaderTest.start(DicomBytes.implicitLittle());
        d.pixelModule(1, 3, 1, "MONOCHROME2", 8, 8, 0);
        d.sequence(Tags.VOI_LUT_SEQUENCE, false, false, lutItem(d, 0, 8, 255, 128, 0));
        d.raw(Tags.PIXEL_DATA, "OB", new byte[] {2, 1, 0, 0});
        assertArrayEquals(
                new int[] {0, 128, 255},
                gray(DicomReader.read("t.dcm", d.bytes()).render()));
    }

    @Test
    void modalityLutSequenceReplacesTheRescale() {
        // stored 0, 1, 2 -> {100, 200, 300}; then c 200, w 201: 200 -> 0.5025 -> 128
        assertArrayEquals(new int[] {0, 128, 255}, render(new int[] {0, 1, 2}, d -> {
            d.sequence(Tags.MODALITY_LUT_SEQUENCE, true, true, lutItem(d, 0, 16, 100, 200, 300));
            window(d, "200", "201");
            d.text(Tags.RESCALE_SLOPE, "DS", "5");
        }));
    }

    @Test
    void otherVoiLutFunctionsAndPresentationLutShape() {
        // LINEAR_EXACT: (m - c) / w + 0.5; 150 -> 0.75 -> 191.25. SIGMOID: 1 / (1 + exp(-4 (m - c) / w)); c -> 0.5
        assertArrayEquals(new int[] {0, 127, 191, 255}, render(new int[] {0, 100, 150, 200}, d -> {
            window(d, "100", "200");
            d.text(Tags.VOI_LUT_FUNCTION, "CS", "LINEAR_EXACT");
        }));
        assertArrayEquals(new int[] {4, 127, 250}, render(new int[] {0, 100, 200}, d -> {
            window(d, "100", "100");
            d.text(Tags.VOI_LUT_FUNCTION, "CS", "SIGMOID");
        }));
        // INVERSE on MONOCHROME2 inverts; on MONOCHROME1 it is the same single inversion
        assertArrayEquals(
                new int[] {255, 191, 127, 0},
                render(new int[] {-5, 0, 5, 15}, d -> d.text(Tags.PRESENTATION_LUT_SHAPE, "CS", "INVERSE")));
        assertArrayEquals(
                new int[] {255, 191, 127, 0},
                render(
                        new int[] {-5, 0, 5, 15},
                        "MONOCHROME1",
                        d -> d.text(Tags.PRESENTATION_LUT_SHAPE, "CS", "INVERSE")));
    }

    @Test
    void paletteColour() {
        DicomBytes d = DicomReaderTest.start(DicomBytes.explicitLittle());
        d.pixelModule(1, 5, 1, "PALETTE COLOR", 8, 8, 0);
        d.us(Tags.RED_PALETTE_DESCRIPTOR, 3, 5, 16)
                .us(Tags.GREEN_PALETTE_DESCRIPTOR, 3, 5, 16)
                .us(Tags.BLUE_PALETTE_DESCRIPTOR, 3, 5, 16);
        d.raw(Tags.RED_PALETTE_DATA, "OW", d.words(0x0000, 0x8000, 0xFFFF));
        d.raw(Tags.GREEN_PALETTE_DATA, "OW", d.words(0xFFFF, 0x80FF, 0x0000));
        d.raw(Tags.BLUE_PALETTE_DATA, "OW", d.words(0x1200, 0x3456, 0x5600));
        d.raw(Tags.PIXEL_DATA, "OB", new byte[] {4, 5, 6, 7, 9, 0});
        RgbImage img = DicomReader.read("t.dcm", d.bytes()).render();
        int[][] want = {{0, 255, 0x12}, {0, 255, 0x12}, {128, 128, 0x34}, {255, 0, 0x56}, {255, 0, 0x56}};
        for (int x = 0; x < 5; x++) {
            for (int c = 0; c < 3; c++) {
                assertEquals(want[x][c], img.get(x, 0, c), "pixel " + x + " channel " + c);
            }
        }
    }

    @Test
    void windowFunctionAtItsEdges() {
        GrayDisplay g = GrayDisplay.of(1, 0, new double[] {0.5, 2}, false);
        // c 0.5, w 2: y = m / 1 + 0.5 - 0 -> m = -0.5 is 0, m = 0.5 is 1
        assertEquals(0.0, g.window(-0.5));
        assertEquals(0.5, g.window(0.0));
        assertEquals(1.0, g.window(0.5));
        assertEquals(1.0, g.window(1e9));
    }
}
