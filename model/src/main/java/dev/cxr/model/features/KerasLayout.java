package dev.cxr.model.features;

/**
 * The engine keeps images and feature maps channels-first (NCHW); Keras writes them channels-last
 * (NHWC). This turns one item from the first layout into the second, for files that Keras users read.
 */
public final class KerasLayout {
    private KerasLayout() {}

    /** CHW [c, h, w] from {@code offset} to HWC [h, w, c], as Keras lays out one image of NHWC. */
    public static float[] chwToHwc(float[] chw, int offset, int c, int h, int w) {
        float[] hwc = new float[c * h * w];
        for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    hwc[(y * w + x) * c + ch] = chw[offset + (ch * h + y) * w + x];
                }
            }
        }
        return hwc;
    }
}
