package dev.cxr.engine.testing;

/** TensorFlow's channels-last tensors (what its reference files hold) in the engine's channels-first layout. */
public final class Layouts {
    private Layouts() {}

    /** (n, h, w, c) row-major to (n, c, h, w). */
    public static float[] nhwcToNchw(float[] src, int n, int h, int w, int c) {
        float[] dst = new float[src.length];
        for (int i = 0; i < n; i++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    for (int ch = 0; ch < c; ch++) {
                        dst[((i * c + ch) * h + y) * w + x] = src[((i * h + y) * w + x) * c + ch];
                    }
                }
            }
        }
        return dst;
    }

    /** One image: (h, w, c) to (c, h, w). */
    public static float[] hwcToChw(float[] src, int h, int w, int c) {
        return nhwcToNchw(src, 1, h, w, c);
    }
}
