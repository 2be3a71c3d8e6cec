package dev.cxr.model.explain;

/**
 * A map of S x S cells stretched over a W x H picture by bilinear interpolation (half-pixel
 * centres, edges clamped), as the network's input was stretched from the picture: cell (i, j)
 * covers the picture's i-th row and j-th column of an S x S grid, whatever the aspect ratio.
 *
 * <p>The cells the head reads (the top-left R x R) and the others are interpolated apart, each
 * clamped at the boundary as at an edge, so no value is smeared across it: a map that is zero
 * outside the corner is zero on every pixel there.
 */
final class MapUpsampling {
    private MapUpsampling() {}

    // map [S, S] row-major -> [height, width] row-major
    static float[] bilinear(float[] map, int s, int read, int width, int height) {
        if (map.length != s * s) {
            throw new IllegalArgumentException("a " + s + "x" + s + " map has " + s * s + " values, got " + map.length);
        }
        if (read < 1 || read > s) {
            throw new IllegalArgumentException("the cells read must be 1.." + s + ", got " + read);
        }
        float[] out = new float[width * height];
        for (int y = 0; y < height; y++) {
            int cellY = cell(y, height, s);
            for (int x = 0; x < width; x++) {
                int cellX = cell(x, width, s);
                boolean inside = cellY < read && cellX < read;
                // the read corner clamps both axes to it; elsewhere an axis past the corner clamps to the rest
                double sy = source(y, height, s, inside ? 0 : cellY >= read ? read : 0, inside ? read - 1 : s - 1);
                double sx = source(x, width, s, inside ? 0 : cellX >= read ? read : 0, inside ? read - 1 : s - 1);
                int y0 = (int) Math.floor(sy);
                int x0 = (int) Math.floor(sx);
                int y1 = Math.min(y0 + 1, inside ? read - 1 : s - 1);
                int x1 = Math.min(x0 + 1, inside ? read - 1 : s - 1);
                double fy = sy - y0;
                double fx = sx - x0;
                double top = map[y0 * s + x0] * (1 - fx) + map[y0 * s + x1] * fx;
                double bottom = map[y1 * s + x0] * (1 - fx) + map[y1 * s + x1] * fx;
                out[y * width + x] = (float) (top * (1 - fy) + bottom * fy);
            }
        }
        return out;
    }

    /** The cell of the S-cell grid that pixel {@code p} of {@code size} lies in (by its centre). */
    static int cell(int p, int size, int s) {
        return Math.min(s - 1, (int) Math.floor((p + 0.5) * s / size));
    }

    /** Whether pixel (x, y) of a width x height picture lies over a cell the head reads. */
    static boolean read(int x, int y, int width, int height, int s, int read) {
        return cell(x, width, s) < read && cell(y, height, s) < read;
    }

    // pixel p's position in cell units, half-pixel centres, clamped to [lo, hi]
    private static double source(int p, int size, int s, int lo, int hi) {
        double v = (p + 0.5) * s / size - 0.5;
        return Math.max(lo, Math.min(hi, v));
    }
}
