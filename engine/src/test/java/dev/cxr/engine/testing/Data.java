package dev.cxr.engine.testing;

import java.util.SplittableRandom;

/** Seeded random test data: never all zeros, so unwritten outputs and bad indexing show. */
public final class Data {
    private Data() {}

    /** Uniform in [-scale, scale). */
    public static float[] uniform(int n, float scale, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) ((r.nextDouble() * 2 - 1) * scale);
        }
        return a;
    }

    /** Distinct values spaced at least {@code gap} apart, in random order (no ties, for max pooling). */
    public static float[] distinct(int n, float gap, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (i - n / 2f) * gap;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            float t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return a;
    }

    /** Values in [lo, hi) with random sign: magnitudes bounded away from zero (no ReLU kinks). */
    public static float[] awayFromZero(int n, float lo, float hi, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            float m = (float) (lo + r.nextDouble() * (hi - lo));
            a[i] = r.nextBoolean() ? m : -m;
        }
        return a;
    }

    public static double maxAbs(float[] a) {
        double m = 0;
        for (float v : a) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    public static double maxAbsDiff(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("lengths differ: " + a.length + " vs " + b.length);
        }
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs((double) a[i] - b[i]));
        }
        return m;
    }

    public static double maxAbsDiff(float[] a, double[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("lengths differ: " + a.length + " vs " + b.length);
        }
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }
}
