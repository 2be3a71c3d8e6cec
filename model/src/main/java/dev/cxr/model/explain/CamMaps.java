package dev.cxr.model.explain;

/**
 * The two maps from one image's activations A [C, H, W] and the gradient G = dY/dA [C, H, W] of a
 * logit Y, both row-major on the host. Sums run in double in a fixed order, so a map is the same on
 * every run and backend given the same A and G.
 */
public final class CamMaps {
    private CamMaps() {}

    /** The map of {@code method}: [H, W] row-major, never negative. */
    public static float[] map(CamMethod method, float[] a, float[] g, int offset, int c, int h, int w) {
        return switch (method) {
            case HIRESCAM -> hiResCam(a, g, offset, c, h, w);
            case GRADCAM -> gradCam(a, gradCamWeights(g, offset, c, h, w), offset, c, h, w);
        };
    }

    // a, g [C, H, W] from offset -> map [H, W] = ReLU(sum_k g[k,y,x] * a[k,y,x])
    public static float[] hiResCam(float[] a, float[] g, int offset, int c, int h, int w) {
        int plane = h * w;
        float[] map = new float[plane];
        for (int p = 0; p < plane; p++) {
            double sum = 0;
            for (int k = 0; k < c; k++) {
                int i = offset + k * plane + p;
                sum += (double) g[i] * a[i];
            }
            map[p] = relu(sum);
        }
        return map;
    }

    // g [C, H, W] from offset -> weights [C], w_k = mean over (y, x) of g[k,y,x]
    public static double[] gradCamWeights(float[] g, int offset, int c, int h, int w) {
        int plane = h * w;
        double[] weights = new double[c];
        for (int k = 0; k < c; k++) {
            double sum = 0;
            for (int p = 0; p < plane; p++) {
                sum += g[offset + k * plane + p];
            }
            weights[k] = sum / plane;
        }
        return weights;
    }

    // a [C, H, W] from offset, weights [C] -> map [H, W] = ReLU(sum_k weights[k] * a[k,y,x])
    public static float[] gradCam(float[] a, double[] weights, int offset, int c, int h, int w) {
        int plane = h * w;
        float[] map = new float[plane];
        for (int p = 0; p < plane; p++) {
            double sum = 0;
            for (int k = 0; k < c; k++) {
                sum += weights[k] * a[offset + k * plane + p];
            }
            map[p] = relu(sum);
        }
        return map;
    }

    // +0 for zero, negative zero and negative sums alike
    private static float relu(double s) {
        return s > 0 ? (float) s : 0f;
    }
}
