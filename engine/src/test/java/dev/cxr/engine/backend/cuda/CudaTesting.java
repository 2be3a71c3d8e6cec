package dev.cxr.engine.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Locale;

/** Opening the GPU for a test class (or skipping it with the probe's reason) and comparing results. */
final class CudaTesting {
    private CudaTesting() {
    }

    /** The GPU backend on GPU 0 (printing its providers), or null where there is no usable GPU. */
    static CudaBackend openIfUsable(String testClass) {
        CudaStatus s = CudaProbe.status();
        if (!s.usable()) {
            System.out.println("[" + testClass + "] no usable GPU, its tests are skipped: " + s.reason());
            return null;
        }
        CudaBackend b = CudaBackend.open(0);
        System.out.println("[" + testClass + "] providers: " + b.providers());
        return b;
    }

    /** Skips the calling test, with the probe's reason, when there is no GPU (call from @BeforeEach). */
    static void assumeGpu(CudaBackend gpu) {
        assumeTrue(gpu != null, () -> "no usable GPU: " + CudaProbe.status().reason());
    }

    /** Prints the convolution algorithms the class's tests ended up with. */
    static void printPlans(String testClass, CudaBackend b) {
        if (b != null) {
            b.convolutionPlans().forEach(p -> System.out.println("[" + testClass + "] " + p));
        }
    }

    /** max |a - e| / max |e| (max |e| taken as at least 1e-30): the error relative to the tensor's scale. */
    static double errorOfMax(float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length, "lengths");
        double maxRef = 1e-30;
        double maxDiff = 0;
        for (int i = 0; i < expected.length; i++) {
            maxRef = Math.max(maxRef, Math.abs(expected[i]));
            double d = Math.abs((double) expected[i] - actual[i]);
            if (Double.isNaN(d)) {
                return Double.POSITIVE_INFINITY;
            }
            maxDiff = Math.max(maxDiff, d);
        }
        return maxDiff / maxRef;
    }

    /** Asserts errorOfMax(expected, actual) &lt;= tolerance and prints the error found. */
    static void assertCloseOfMax(String what, float[] expected, float[] actual, double tolerance) {
        double err = errorOfMax(expected, actual);
        System.out.printf(Locale.ROOT, "  %-56s max|diff|/max|ref| = %.2e (tolerance %.0e)%n", what, err, tolerance);
        assertTrue(err <= tolerance, what + ": max|diff|/max|ref| = " + err + " > " + tolerance);
    }

    /** Bit-for-bit equality (for ops whose float arithmetic the kernels reproduce exactly). */
    static void assertBitExact(String what, float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length, what + ": lengths");
        int mismatches = 0;
        int first = -1;
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToIntBits(expected[i]) != Float.floatToIntBits(actual[i])) {
                mismatches++;
                if (first < 0) {
                    first = i;
                }
            }
        }
        System.out.printf(Locale.ROOT, "  %-56s bit-exact: %s%n", what, mismatches == 0 ? "yes" : "NO, " + mismatches + " differ");
        if (mismatches > 0) {
            throw new AssertionError(what + ": " + mismatches + " of " + expected.length + " differ; first at " + first
                    + ": expected " + expected[first] + ", got " + actual[first]);
        }
    }
}
