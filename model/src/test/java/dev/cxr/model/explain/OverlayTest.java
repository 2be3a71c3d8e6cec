package dev.cxr.model.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cxr.model.image.RgbImage;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The colormap, the upsampling of the map and the overlay's pixels, on synthetic pictures. */
class OverlayTest {
    @Test
    void infernoPassesThroughItsPublishedSamplesAndGrowsLighter() {
        for (int i = 0; i < Inferno.STOPS.length; i++) {
            assertEquals(Inferno.STOPS[i], Inferno.rgb(i / 10.0), "stop " + i);
        }
        assertEquals(0x000004, Inferno.rgb(-1));
        assertEquals(0x000004, Inferno.rgb(Double.NaN));
        assertEquals(0xfcffa4, Inferno.rgb(7));
        // brighter means more: relative luminance (linear sRGB, Rec. 709) rises at every one of 256 steps
        double before = -1;
        for (int i = 0; i < 256; i++) {
            double y = luminance(Inferno.rgb(i / 255.0));
            assertTrue(y > before, "luminance at " + i + "/255: " + y + " after " + before);
            before = y;
        }
    }

    private static double luminance(int rgb) {
        double[] lin = new double[3];
        for (int c = 0; c < 3; c++) {
            double v = ((rgb >> (16 - 8 * c)) & 0xff) / 255.0;
            lin[c] = v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
        }
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2];
    }

    @Test
    void upsamplingKeepsTheUnreadCellsApartAndHitsCellCentres() {
        int s = 14;
        int read = 8;
        float[] map = new float[s * s];
        SplittableRandom r = new SplittableRandom(3);
        for (int y = 0; y < read; y++) {
            for (int x = 0; x < read; x++) {
                map[y * s + x] = 0.5f + (float) r.nextDouble();
            }
        }
        // a portrait picture of odd size: the grid is stretched, not square
        int w = 301;
        int h = 407;
        float[] up = MapUpsampling.bilinear(map, s, read, w, h);
        int readPixels = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                boolean inside = MapUpsampling.read(x, y, w, h, s, read);
                if (inside) {
                    readPixels++;
                    assertTrue(
                            up[y * w + x] >= 0.5f - 1e-6f, "no zero smeared into the corner at (" + x + "," + y + ")");
                } else {
                    assertEquals(0f, up[y * w + x], "nothing smeared out of the corner at (" + x + "," + y + ")");
                }
            }
        }
        int bx = Overlay.firstUnread(w, s, read);
        int by = Overlay.firstUnread(h, s, read);
        assertEquals(bx * by, readPixels, "the read region is the top-left " + bx + "x" + by);
        assertEquals(Math.round(w * 8.0 / 14), bx, 1);
        assertEquals(Math.round(h * 8.0 / 14), by, 1);

        // at 5 pixels a cell, pixel 5j+2's centre is cell j's centre: the cell's own value there,
        // and half-way between two cells (pixel 5j+4.5, the mean of pixels 5j+4 and 5j+5 along a row) their mean
        float[] big = MapUpsampling.bilinear(map, s, read, 70, 70);
        for (int i = 0; i < read; i++) {
            for (int j = 0; j < read; j++) {
                assertEquals(map[i * s + j], big[(5 * i + 2) * 70 + 5 * j + 2], 1e-6f, "cell (" + i + "," + j + ")");
            }
        }
        int row = 5 * 3 + 2;
        assertEquals(
                (map[3 * s + 1] + map[3 * s + 2]) / 2,
                (big[row * 70 + 9] + big[row * 70 + 10]) / 2,
                1e-6f,
                "linear along a row between cells 1 and 2");
        assertEquals(
                map[3 * s + 7],
                big[row * 70 + 5 * 7 + 4],
                1e-6f,
                "clamped at the corner's edge, not mixed with cell 8");
    }

    @Test
    void coldCellsShowThePictureUnchangedAndTheUnreadOnesAreMarked() {
        int s = 14;
        int read = 8;
        RgbImage picture = noise(200, 180, 4);
        float[] map = new float[s * s];
        map[2 * s + 3] = 1f; // one hot cell inside the corner
        Overlay.Caption caption = new Overlay.Caption(
                "x.png",
                List.of("covid", "normal"),
                new float[] {0.3f, 0.7f},
                1,
                CamMethod.HIRESCAM,
                1,
                "block5_conv3");
        RgbImage out = Overlay.render(picture, map, s, read, caption);
        assertEquals(200, out.width());
        assertTrue(out.height() > 180 + 60, "the caption is below the picture: " + out.height());
        int bx = Overlay.firstUnread(200, s, read);
        int by = Overlay.firstUnread(180, s, read);
        // a cold pixel of the corner, away from the hot cell and the outline: the picture itself
        assertPixel(picture, out, 10, 150 * by / 180 / 2, true);
        // the hot cell's centre: coloured
        int hx = (int) ((3 + 0.5) * 200 / 14);
        int hy = (int) ((2 + 0.5) * 180 / 14);
        assertPixel(picture, out, hx, hy, false);
        // every pixel over an unread cell is dimmed or hatched, none left as it was
        for (int y = 0; y < 180; y++) {
            for (int x = 0; x < 200; x++) {
                if ((x > bx + 1 || y > by + 1)) {
                    assertPixel(picture, out, x, y, false);
                }
            }
        }
    }

    private static void assertPixel(RgbImage picture, RgbImage out, int x, int y, boolean same) {
        for (int c = 0; c < 3; c++) {
            if (same) {
                assertEquals(picture.get(x, y, c), out.get(x, y, c), "(" + x + "," + y + ") channel " + c);
            }
        }
        if (!same) {
            boolean differs = false;
            for (int c = 0; c < 3; c++) {
                differs |= picture.get(x, y, c) != out.get(x, y, c);
            }
            assertTrue(differs, "(" + x + "," + y + ") is marked");
        }
    }

    @Test
    void fitsTheLongestSideAndKeepsTheAspectRatio() {
        RgbImage wide = Overlay.fitLongestSide(noise(2000, 1500, 1), 512);
        assertEquals(512, wide.width());
        assertEquals(384, wide.height());
        RgbImage small = Overlay.fitLongestSide(noise(200, 300, 2), 512);
        assertEquals(341, small.width());
        assertEquals(512, small.height());
        assertNotEquals(0, small.get(100, 100, 0) + small.get(100, 100, 1), "not blank");
    }

    private static RgbImage noise(int w, int h, long seed) {
        byte[] px = new byte[w * h * 3];
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) (40 + r.nextInt(180));
        }
        return new RgbImage(w, h, px);
    }
}
