package dev.cxr.model.image;

/**
 * An 8-bit RGB image: {@code pixels} holds width x height x 3 bytes, row-major, channels R, G, B
 * (HWC, as OpenCV's imread gives after BGR to RGB). Values are unsigned: read with {@code & 0xff}.
 */
public record RgbImage(int width, int height, byte[] pixels) {
    public RgbImage {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("image must be at least 1x1, got " + width + "x" + height);
        }
        if (pixels.length != (long) width * height * 3) {
            throw new IllegalArgumentException("an RGB " + width + "x" + height + " image needs "
                    + (long) width * height * 3 + " bytes, got " + pixels.length);
        }
    }

    /** The sample at (x, y), channel c (0 = R), as 0..255. */
    public int get(int x, int y, int c) {
        return pixels[(y * width + x) * 3 + c] & 0xff;
    }
}
