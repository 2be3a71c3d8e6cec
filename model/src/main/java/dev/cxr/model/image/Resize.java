package dev.cxr.model.image;

/** Resizing to a fixed size, ignoring the aspect ratio, as OpenCV's {@code cv2.resize} INTER_LINEAR. */
public final class Resize {
    private Resize() {
    }

    /** Bilinear resize with half-pixel centres. */
    public static RgbImage bilinear(RgbImage src, int outW, int outH) {
        byte[] out = new byte[outW * outH * 3];
        double sx = (double) src.width() / outW;
        double sy = (double) src.height() / outH;
        for (int y = 0; y < outH; y++) {
            double fy = Math.max((y + 0.5) * sy - 0.5, 0);
            int y0 = Math.min((int) fy, src.height() - 1);
            int y1 = Math.min(y0 + 1, src.height() - 1);
            double wy = fy - y0;
            for (int x = 0; x < outW; x++) {
                double fx = Math.max((x + 0.5) * sx - 0.5, 0);
                int x0 = Math.min((int) fx, src.width() - 1);
                int x1 = Math.min(x0 + 1, src.width() - 1);
                double wx = fx - x0;
                for (int c = 0; c < 3; c++) {
                    double top = src.get(x0, y0, c) * (1 - wx) + src.get(x1, y0, c) * wx;
                    double bottom = src.get(x0, y1, c) * (1 - wx) + src.get(x1, y1, c) * wx;
                    out[(y * outW + x) * 3 + c] = (byte) Math.round(top * (1 - wy) + bottom * wy);
                }
            }
        }
        return new RgbImage(outW, outH, out);
    }
}
