package dev.cxr.engine.testing;

import java.util.Locale;

/**
 * How the tests compare two computations of the same values: the error relative to the expected
 * tensor's largest magnitude, against a named {@link Tolerance}, or bit for bit. The one place this
 * arithmetic lives.
 */
public final class Compare {
    private Compare() {}

    /**
     * A bound on {@link #errorOfMax}, with the reason it is that size. Zero means bit for bit.
     *
     * @param name  what the bound is for, in messages
     * @param ofMax the largest allowed max |actual - expected| / max |expected|
     * @param why   where the difference comes from and how large it was seen
     */
    public record Tolerance(String name, double ofMax, String why) {
        /** The two computations do the same float operations in the same order. */
        public static final Tolerance EXACT = new Tolerance("exact", 0, "the same float operations in the same order");

        public Tolerance {
            if (!(ofMax >= 0)) {
                throw new IllegalArgumentException("a tolerance must be >= 0, got " + ofMax);
            }
        }

        public boolean exact() {
            return ofMax == 0;
        }
    }

    /**
     * max |actual - expected| / max |expected| (the scale taken as at least 1e-30); infinite where
     * one holds a NaN the other does not, or where a value is infinite in one and not the other.
     */
    public static double errorOfMax(float[] expected, float[] actual) {
        if (expected.length != actual.length) {
            throw new AssertionError("lengths differ: expected " + expected.length + ", got " + actual.length);
        }
        double scale = 1e-30;
        double diff = 0;
        for (int i = 0; i < expected.length; i++) {
            float e = expected[i];
            float a = actual[i];
            if (Float.isNaN(e) || Float.isNaN(a) || Float.isInfinite(e) || Float.isInfinite(a)) {
                if (Float.floatToIntBits(e) != Float.floatToIntBits(a)) {
                    return Double.POSITIVE_INFINITY;
                }
                continue;
            }
            scale = Math.max(scale, Math.abs(e));
            diff = Math.max(diff, Math.abs((double) e - a));
        }
        return diff / scale;
    }

    /** The index of the first element whose bits differ, or -1. */
    public static int firstDifference(float[] expected, float[] actual) {
        int n = Math.min(expected.length, actual.length);
        for (int i = 0; i < n; i++) {
            if (Float.floatToIntBits(expected[i]) != Float.floatToIntBits(actual[i])) {
                return i;
            }
        }
        return expected.length == actual.length ? -1 : n;
    }

    /** Asserts {@code actual} is within {@code tol} of {@code expected} (bit for bit when exact); returns the error. */
    public static double assertWithin(String what, float[] expected, float[] actual, Tolerance tol) {
        if (tol.exact()) {
            assertBitExact(what, expected, actual);
            return 0;
        }
        double err = errorOfMax(expected, actual);
        if (!(err <= tol.ofMax())) {
            int at = worst(expected, actual);
            throw new AssertionError(String.format(
                    Locale.ROOT,
                    "%s: error %.3g of the expected max exceeds %s (%.0e: %s); worst at %d: expected %s, got %s",
                    what,
                    err,
                    tol.name(),
                    tol.ofMax(),
                    tol.why(),
                    at,
                    expected[at],
                    actual[at]));
        }
        return err;
    }

    /** Asserts the two arrays hold the same bits (NaNs compared as Java's canonical NaN). */
    public static void assertBitExact(String what, float[] expected, float[] actual) {
        int first = firstDifference(expected, actual);
        if (first >= 0) {
            int count = 0;
            for (int i = 0; i < Math.min(expected.length, actual.length); i++) {
                count += Float.floatToIntBits(expected[i]) != Float.floatToIntBits(actual[i]) ? 1 : 0;
            }
            throw new AssertionError(what + ": not bit-identical, " + count + " of " + expected.length + " differ"
                    + (first < Math.min(expected.length, actual.length)
                            ? "; first at " + first + ": expected " + expected[first] + ", got " + actual[first]
                            : "; lengths " + expected.length + " and " + actual.length));
        }
    }

    private static int worst(float[] expected, float[] actual) {
        int at = 0;
        double worst = -1;
        for (int i = 0; i < expected.length; i++) {
            double d = Math.abs((double) expected[i] - actual[i]);
            if (Double.isNaN(d)) {
                return i;
            }
            if (d > worst) {
                worst = d;
                at = i;
            }
        }
        return at;
    }
}
