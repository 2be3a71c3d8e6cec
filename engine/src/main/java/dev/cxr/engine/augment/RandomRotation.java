package dev.cxr.engine.augment;

import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Random rotation of float CHW images, as Keras's {@code ImageDataGenerator(rotation_range=r,
 * fill_mode="nearest")} does it: per image an angle uniform in [-r, r) degrees, rotation about the
 * image centre, bilinear interpolation (scipy's {@code ndimage.affine_transform} with order 1), and
 * points that fall outside the image take the nearest edge pixel.
 *
 * <p>The mapping goes from output to input, as scipy's does: output pixel (row, col) reads the input
 * at {@code c + R(theta) . ((row, col) - c)}, where {@code c = ((h-1)/2, (w-1)/2)} and
 * {@code R = [[cos, -sin], [sin, cos]]} acts on (row, col), as keras_preprocessing 1.1 (the tutorial's
 * era) built it. Later Keras versions swap the row and column axes around the same matrix, which
 * mirrors the direction; with the angle drawn symmetrically the two give the same distribution.
 * Coordinates and interpolation are in double precision, the result is rounded to float, as scipy
 * does for a float32 array.
 */
public final class RandomRotation {
    private final double maxDegrees;

    /** @param maxDegrees Keras's {@code rotation_range}: angles are drawn from [-maxDegrees, maxDegrees) */
    public RandomRotation(double maxDegrees) {
        if (!(maxDegrees >= 0 && maxDegrees <= 180)) {
            throw new IllegalArgumentException("rotation range must be between 0 and 180 degrees, got " + maxDegrees);
        }
        this.maxDegrees = maxDegrees;
    }

    public double maxDegrees() {
        return maxDegrees;
    }

    /** One angle in degrees, uniform in [-max, max), as numpy's {@code uniform(-r, r)}. */
    public double drawAngle(RandomGenerator random) {
        return -maxDegrees + 2 * maxDegrees * random.nextDouble();
    }

    /**
     * Rotates {@code count} images of {@code channels x height x width} floats each, stored one after
     * another from {@code src[0]}, into {@code dst} (same layout, must not be {@code src}), drawing one
     * angle per image from {@code random} in image order.
     *
     * @return the angles used, in degrees
     */
    public double[] apply(
            float[] src, float[] dst, int count, int channels, int height, int width, RandomGenerator random) {
        Objects.requireNonNull(random, "random");
        int per = channels * height * width;
        if (src.length < count * per || dst.length < count * per) {
            throw new IllegalArgumentException("need " + count + " images of " + channels + "x" + height + "x" + width
                    + " floats, got arrays of " + src.length + " and " + dst.length);
        }
        double[] angles = new double[count];
        for (int i = 0; i < count; i++) {
            angles[i] = drawAngle(random);
            rotate(src, i * per, dst, i * per, channels, height, width, angles[i]);
        }
        return angles;
    }

    /**
     * Rotates one CHW image by {@code degrees} (positive turns the content clockwise on screen, with
     * row 0 at the top), bilinear, nearest-edge fill. {@code src} and {@code dst} must not overlap.
     */
    // src [C, H, W] -> dst [C, H, W]; for each output pixel one source point, shared by every channel
    public static void rotate(
            float[] src,
            int srcOffset,
            float[] dst,
            int dstOffset,
            int channels,
            int height,
            int width,
            double degrees) {
        if (channels < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException(
                    "image must have at least 1 channel and 1x1 pixel, got " + channels + "x" + height + "x" + width);
        }
        if (src == dst && srcOffset == dstOffset) {
            throw new IllegalArgumentException("rotate cannot work in place");
        }
        double theta = Math.toRadians(degrees);
        double cos = Math.cos(theta);
        double sin = Math.sin(theta);
        double cr = (height - 1) / 2.0;
        double cc = (width - 1) / 2.0;
        int plane = height * width;
        for (int r = 0; r < height; r++) {
            double dr = r - cr;
            for (int c = 0; c < width; c++) {
                double dc = c - cc;
                // the input point this output pixel reads, clamped to the image: 'nearest' fill
                double sr = clamp(cr + cos * dr - sin * dc, height - 1);
                double sc = clamp(cc + sin * dr + cos * dc, width - 1);
                int r0 = (int) Math.floor(sr);
                int c0 = (int) Math.floor(sc);
                double tr = sr - r0;
                double tc = sc - c0;
                int r1 = Math.min(r0 + 1, height - 1);
                int c1 = Math.min(c0 + 1, width - 1);
                int i00 = r0 * width + c0;
                int i01 = r0 * width + c1;
                int i10 = r1 * width + c0;
                int i11 = r1 * width + c1;
                double w00 = (1 - tr) * (1 - tc);
                double w01 = (1 - tr) * tc;
                double w10 = tr * (1 - tc);
                double w11 = tr * tc;
                int out = dstOffset + r * width + c;
                for (int ch = 0; ch < channels; ch++) {
                    int base = srcOffset + ch * plane;
                    double v = w00 * src[base + i00]
                            + w01 * src[base + i01]
                            + w10 * src[base + i10]
                            + w11 * src[base + i11];
                    dst[out + ch * plane] = (float) v;
                }
            }
        }
    }

    private static double clamp(double x, int max) {
        return x < 0 ? 0 : (x > max ? max : x);
    }
}
