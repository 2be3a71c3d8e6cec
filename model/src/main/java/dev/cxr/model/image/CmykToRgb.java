package dev.cxr.model.image;

import java.awt.image.Raster;

/**
 * A 4-channel JPEG's raw samples (as libjpeg returns them, Adobe-inverted: 255 is no ink) to RGB
 * exactly as OpenCV's imread does it: YCCK is first turned into CMYK with libjpeg's fixed-point
 * tables (jdcolor.c), then OpenCV's icvCvt_CMYK2BGR_8u_C4C3R takes
 * {@code R = k - ((255 - c) * k >> 8)}, likewise G from m and B from y. ICC profiles are ignored,
 * as OpenCV ignores them.
 */
final class CmykToRgb {
    private static final int SCALEBITS = 16;
    private static final int ONE_HALF = 1 << (SCALEBITS - 1);
    private static final int[] CR_R = new int[256];
    private static final int[] CB_B = new int[256];
    private static final int[] CR_G = new int[256];
    private static final int[] CB_G = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int x = i - 128;
            CR_R[i] = (fix(1.40200) * x + ONE_HALF) >> SCALEBITS;
            CB_B[i] = (fix(1.77200) * x + ONE_HALF) >> SCALEBITS;
            CR_G[i] = -fix(0.71414) * x;
            CB_G[i] = -fix(0.34414) * x + ONE_HALF;
        }
    }

    private CmykToRgb() {}

    private static int fix(double v) {
        return (int) (v * (1L << SCALEBITS) + 0.5);
    }

    /** @param ycck whether the samples are YCCK (Adobe transform 2) rather than CMYK */
    static RgbImage convert(Raster raw, boolean ycck) {
        int w = raw.getWidth();
        int h = raw.getHeight();
        byte[] px = new byte[Math.multiplyExact(Math.multiplyExact(w, h), 3)];
        int[] row = new int[w * 4];
        for (int y = 0; y < h; y++) {
            raw.getPixels(raw.getMinX(), raw.getMinY() + y, w, 1, row);
            for (int x = 0; x < w; x++) {
                int s = x * 4;
                int c = row[s];
                int m = row[s + 1];
                int ye = row[s + 2];
                int k = row[s + 3];
                if (ycck) {
                    // libjpeg ycck_cmyk_convert: YCbCr -> RGB, inverted; K passes through
                    int luma = row[s];
                    int cb = row[s + 1];
                    int cr = row[s + 2];
                    c = 255 - clamp(luma + CR_R[cr]);
                    m = 255 - clamp(luma + ((CB_G[cb] + CR_G[cr]) >> SCALEBITS));
                    ye = 255 - clamp(luma + CB_B[cb]);
                }
                int o = (y * w + x) * 3;
                px[o] = (byte) (k - ((255 - c) * k >> 8));
                px[o + 1] = (byte) (k - ((255 - m) * k >> 8));
                px[o + 2] = (byte) (k - ((255 - ye) * k >> 8));
            }
        }
        return new RgbImage(w, h, px);
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }
}
