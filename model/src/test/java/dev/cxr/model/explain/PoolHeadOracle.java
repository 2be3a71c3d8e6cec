package dev.cxr.model.explain;

import java.util.Arrays;

/**
 * The layers after the target, written again for the tests in plain double loops, from A to the
 * logits: a 2x2/2 max pool (block5_pool), the tutorial head's 4x4/4 'valid' average pool, flatten,
 * Dense + ReLU, Dense. Nothing of the engine is used, so central differences of its logits check
 * the engine's backward independently. The function is piecewise linear: within one region (the
 * same pool maxima, the same ReLUs on) a central difference is the gradient up to double rounding;
 * {@link #region} tells the regions apart.
 */
final class PoolHeadOracle {
    private final int c;
    private final int h;
    private final int w;
    private final double[] kernel1;
    private final double[] bias1;
    private final double[] kernel2;
    private final double[] bias2;
    private final int hidden;
    private final int classes;

    /** Kernels row-major [in, out] as Keras and the engine's Dense keep them. */
    PoolHeadOracle(int c, int h, int w, float[] kernel1, float[] bias1, float[] kernel2, float[] bias2) {
        this.c = c;
        this.h = h;
        this.w = w;
        this.kernel1 = toDouble(kernel1);
        this.bias1 = toDouble(bias1);
        this.kernel2 = toDouble(kernel2);
        this.bias2 = toDouble(bias2);
        this.hidden = bias1.length;
        this.classes = bias2.length;
        if (kernel1.length != c * hidden || kernel2.length != hidden * classes) {
            throw new IllegalArgumentException("kernels of " + kernel1.length + " and " + kernel2.length
                    + " values for " + c + " channels, " + hidden + " hidden units and " + classes + " classes");
        }
    }

    /** The logits of one image's A [C, H, W]. */
    double[] logits(double[] a) {
        return forward(a, null);
    }

    /** Which maxima and which ReLUs the forward pass of {@code a} takes: equal arrays, same linear region. */
    int[] region(double[] a) {
        int[] record = new int[c * (h / 2) * (w / 2) + hidden];
        forward(a, record);
        return record;
    }

    private double[] forward(double[] a, int[] record) {
        int ph = (h - 2) / 2 + 1;
        int pw = (w - 2) / 2 + 1;
        double[] pooled = new double[c * ph * pw];
        for (int k = 0; k < c; k++) {
            for (int y = 0; y < ph; y++) {
                for (int x = 0; x < pw; x++) {
                    double best = Double.NEGATIVE_INFINITY;
                    int at = -1;
                    for (int dy = 0; dy < 2; dy++) {
                        for (int dx = 0; dx < 2; dx++) {
                            double v = a[(k * h + 2 * y + dy) * w + 2 * x + dx];
                            if (v > best) { // the first maximum, as TensorFlow
                                best = v;
                                at = dy * 2 + dx;
                            }
                        }
                    }
                    pooled[(k * ph + y) * pw + x] = best;
                    if (record != null) {
                        record[(k * ph + y) * pw + x] = at;
                    }
                }
            }
        }
        int oh = (ph - 4) / 4 + 1;
        int ow = (pw - 4) / 4 + 1;
        double[] features = new double[c * oh * ow];
        for (int k = 0; k < c; k++) {
            for (int y = 0; y < oh; y++) {
                for (int x = 0; x < ow; x++) {
                    double sum = 0;
                    for (int dy = 0; dy < 4; dy++) {
                        for (int dx = 0; dx < 4; dx++) {
                            sum += pooled[(k * ph + 4 * y + dy) * pw + 4 * x + dx];
                        }
                    }
                    features[(k * oh + y) * ow + x] = sum / 16; // flatten in NCHW order
                }
            }
        }
        if (features.length * hidden != kernel1.length) {
            throw new IllegalStateException(
                    "the head expects " + kernel1.length / hidden + " features, got " + features.length);
        }
        double[] z = bias1.clone();
        for (int i = 0; i < features.length; i++) {
            for (int j = 0; j < hidden; j++) {
                z[j] += features[i] * kernel1[i * hidden + j];
            }
        }
        double[] logits = bias2.clone();
        for (int j = 0; j < hidden; j++) {
            boolean on = z[j] > 0;
            if (record != null) {
                record[c * ph * pw + j] = on ? 1 : 0;
            }
            for (int k = 0; k < classes; k++) {
                logits[k] += (on ? z[j] : 0) * kernel2[j * classes + k];
            }
        }
        return logits;
    }

    /**
     * Central differences of logit {@code k} at every element of {@code a}, step {@code step};
     * NaN where the step leaves the linear region of {@code a} (a tie of maxima, a ReLU at its kink),
     * where the difference is not the gradient of either side.
     */
    double[] centralDifferences(float[] a, int offset, int k, double step) {
        double[] x = new double[c * h * w];
        for (int i = 0; i < x.length; i++) {
            x[i] = a[offset + i];
        }
        int[] base = region(x);
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            double old = x[i];
            x[i] = old + step;
            double plus = logits(x)[k];
            boolean same = Arrays.equals(base, region(x));
            x[i] = old - step;
            double minus = logits(x)[k];
            same &= Arrays.equals(base, region(x));
            x[i] = old;
            out[i] = same ? (plus - minus) / (2 * step) : Double.NaN;
        }
        return out;
    }

    private static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }
}
