package dev.cxr.model.image;

import java.nio.file.Path;

/**
 * An image file as the network's input, the tutorial's way: decoded as OpenCV's imread, resized to
 * size x size ignoring the aspect ratio (cv2.resize INTER_LINEAR), then preprocessed into CHW floats.
 */
public final class NetworkInput {
    private NetworkInput() {
    }

    /**
     * Writes {@code 3 * size * size} floats for {@code file} into {@code dst} from {@code offset}
     * (one item of an NCHW batch).
     */
    public static void read(Path file, int size, Preprocessing mode, float[] dst, int offset) {
        RgbImage img = Resize.bilinear(ImageDecoder.read(file), size, size);
        mode.toChw(img, dst, offset);
    }

    /** CHW [c, h, w] to HWC [h, w, c], as Keras lays out one image of NHWC. */
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
