package dev.cxr.model.audit;

import dev.cxr.model.image.RgbImage;

/**
 * A perceptual hash of a decoded image (the DCT hash, "pHash"): the luma (BT.601 weights) is
 * averaged down to 32x32 cells, transformed with a 2-D DCT-II, and each of the 63 lowest non-DC
 * frequencies (the 8x8 corner without its DC term) gives one bit: 1 when above their median. Such a
 * hash barely moves when an image is re-encoded, resized, slightly cropped or brightened, and two
 * images are near copies when few bits differ ({@link #distance}). The DC bit is always 0, so
 * distances run from 0 to 63. Cosines come from {@link StrictMath}, so the hash is the same on every
 * machine.
 */
public final class PerceptualHash {
    /** Side of the averaged luma image. */
    static final int SIDE = 32;
    /** Side of the low-frequency corner kept. */
    static final int KEPT = 8;

    private static final double[][] COS = new double[KEPT][SIDE];

    static {
        for (int u = 0; u < KEPT; u++) {
            for (int x = 0; x < SIDE; x++) {
                COS[u][x] = StrictMath.cos((2 * x + 1) * u * Math.PI / (2 * SIDE));
            }
        }
    }

    private PerceptualHash() {}

    public static long of(RgbImage img) {
        double[][] cells = averagedLuma(img);
        // rows then columns: t[u][y] = sum_x cos_u(x) f(x, y); d[u][v] = sum_y cos_v(y) t[u][y]
        double[][] t = new double[KEPT][SIDE];
        for (int u = 0; u < KEPT; u++) {
            for (int y = 0; y < SIDE; y++) {
                double s = 0;
                for (int x = 0; x < SIDE; x++) {
                    s += COS[u][x] * cells[y][x];
                }
                t[u][y] = s;
            }
        }
        double[] ac = new double[KEPT * KEPT - 1];
        int k = 0;
        for (int v = 0; v < KEPT; v++) {
            for (int u = 0; u < KEPT; u++) {
                double s = 0;
                for (int y = 0; y < SIDE; y++) {
                    s += COS[v][y] * t[u][y];
                }
                if (u != 0 || v != 0) {
                    ac[k++] = s;
                }
            }
        }
        double[] sorted = ac.clone();
        java.util.Arrays.sort(sorted);
        double median = sorted[sorted.length / 2];
        long hash = 0;
        for (int i = 0; i < ac.length; i++) {
            if (ac[i] > median) {
                hash |= 1L << (i + 1); // bit 0 is the DC term's, always 0
            }
        }
        return hash;
    }

    /** The number of bits in which two hashes differ. */
    public static int distance(long a, long b) {
        return Long.bitCount(a ^ b);
    }

    /** The hash as 16 hex digits. */
    public static String hex(long hash) {
        return String.format("%016x", hash);
    }

    /** The mean luma of each of 32x32 cells; every pixel falls in exactly one (images are at least 32 px a side). */
    static double[][] averagedLuma(RgbImage img) {
        int w = img.width();
        int h = img.height();
        double[][] sum = new double[SIDE][SIDE];
        int[][] count = new int[SIDE][SIDE];
        byte[] px = img.pixels();
        for (int y = 0; y < h; y++) {
            int cy = (int) ((long) y * SIDE / h);
            for (int x = 0; x < w; x++) {
                int cx = (int) ((long) x * SIDE / w);
                int o = (y * w + x) * 3;
                sum[cy][cx] += 0.299 * (px[o] & 0xff) + 0.587 * (px[o + 1] & 0xff) + 0.114 * (px[o + 2] & 0xff);
                count[cy][cx]++;
            }
        }
        for (int y = 0; y < SIDE; y++) {
            for (int x = 0; x < SIDE; x++) {
                sum[y][x] = count[y][x] == 0 ? 0 : sum[y][x] / count[y][x];
            }
        }
        return sum;
    }
}
