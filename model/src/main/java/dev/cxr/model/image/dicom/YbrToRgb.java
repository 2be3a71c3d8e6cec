package dev.cxr.model.image.dicom;

/**
 * YBR_FULL to RGB (PS3.3 C.7.6.3.1.2, the JPEG/JFIF full-range transform):
 * {@code R = Y + 1.402 (Cr - 128)}, {@code G = Y - 0.344136 (Cb - 128) - 0.714136 (Cr - 128)},
 * {@code B = Y + 1.772 (Cb - 128)}, rounded and clamped to 0..255.
 */
final class YbrToRgb {
    private YbrToRgb() {}

    /** Converts interleaved Y, Cb, Cr samples into R, G, B in place. */
    static void convert(int[] v) {
        for (int i = 0; i + 2 < v.length; i += 3) {
            double y = v[i];
            double cb = v[i + 1] - 128.0;
            double cr = v[i + 2] - 128.0;
            v[i] = clamp(y + 1.402 * cr);
            v[i + 1] = clamp(y - 0.344136 * cb - 0.714136 * cr);
            v[i + 2] = clamp(y + 1.772 * cb);
        }
    }

    private static int clamp(double x) {
        return (int) Math.max(0, Math.min(255, Math.floor(x + 0.5)));
    }
}
