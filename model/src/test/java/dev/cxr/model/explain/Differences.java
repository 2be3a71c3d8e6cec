package dev.cxr.model.explain;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;

/** An engine gradient against the oracle's central differences, where those are defined. */
final class Differences {
    /**
     * Float32 against double: the engine's gradient is a few float roundings through two Dense
     * layers (about 1e-7 relative each), the differences of a piecewise-linear function within its
     * region are exact up to double rounding. A wrong index, window or sign is off by the
     * gradient's own size.
     */
    static final double TOL_OF_MAX = 1e-5;

    private Differences() {}

    /**
     * Asserts every defined difference matches the gradient; returns how many were compared (the
     * caller asserts that is most of them).
     */
    static int assertMatches(String what, float[] gradient, int offset, double[] differences) {
        double max = 0;
        for (double d : differences) {
            if (!Double.isNaN(d)) {
                max = Math.max(max, Math.abs(d));
            }
        }
        assertTrue(max > 0, what + ": the differences are not all zero");
        int compared = 0;
        for (int i = 0; i < differences.length; i++) {
            double d = differences[i];
            if (Double.isNaN(d)) {
                continue;
            }
            double g = gradient[offset + i];
            assertTrue(
                    Math.abs(g - d) <= TOL_OF_MAX * max,
                    String.format(
                            Locale.ROOT,
                            "%s: dY/dA[%d] is %.9g, central difference %.9g (max %.3g)",
                            what,
                            i,
                            g,
                            d,
                            max));
            compared++;
        }
        return compared;
    }
}
