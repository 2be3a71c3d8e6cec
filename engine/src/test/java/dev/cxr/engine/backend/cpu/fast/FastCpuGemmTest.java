package dev.cxr.engine.backend.cpu.fast;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cxr.engine.backend.Backend;
import dev.cxr.engine.backend.cpu.ReferenceBackend;
import dev.cxr.engine.testing.Data;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The fast backend's blocked SGEMM against the reference's triple loop. */
class FastCpuGemmTest {
    /**
     * Relative to the largest output: the same products, summed with fused multiply-adds instead of
     * separate rounding. Observed up to 3e-7 for k = 600; 10x margin.
     */
    static final double GEMM_TOLERANCE = 3e-6;

    private static final Backend REF = new ReferenceBackend();
    private static final FastCpuBackend FAST = new FastCpuBackend(3);

    @AfterAll
    static void close() {
        FAST.close();
    }

    private static void check(boolean ta, boolean tb, int m, int n, int k, float alpha, float beta, long seed) {
        float[] a = Data.uniform(m * k, 1f, seed);
        float[] b = Data.uniform(k * n, 1f, seed + 1);
        float[] c = Data.uniform(m * n, 1f, seed + 2);
        if (beta == 0f && c.length > 0) {
            c[c.length / 2] = Float.NaN; // beta = 0 must ignore C's old contents, even NaN
        }
        float[] ref = Oracle.gemm(REF, ta, tb, m, n, k, alpha, a, b, beta, c);
        float[] got = Oracle.gemm(FAST, ta, tb, m, n, k, alpha, a, b, beta, c);
        double err = Oracle.relativeToMax(got, ref);
        assertTrue(err <= GEMM_TOLERANCE, "gemm ta=" + ta + " tb=" + tb + " " + m + "x" + n + "x" + k + ": error " + err);
    }

    @Test
    void allTransposesOddSizes() {
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                check(ta, tb, 37, 53, 300, 0.7f, 0.3f, 1);
                check(ta, tb, 9, 100, 5, 1f, 0f, 2);
            }
        }
    }

    @Test
    void sizesAcrossEveryBlockBoundary() {
        // more than one row block (128), column block (192) and depth step (256)
        check(false, false, 130, 200, 600, 1f, 1f, 3);
        check(true, true, 130, 200, 600, -0.5f, 0f, 4);
    }

    @Test
    void denseLayerShapes() {
        // the head's forward and both backward products at batch 8
        check(false, false, 8, 64, 512, 1f, 0f, 5);
        check(true, false, 512, 64, 8, 1f, 1f, 6);
        check(false, true, 8, 512, 64, 1f, 0f, 7);
    }

    @Test
    void emptyDepthScalesC() {
        float[] c = Data.uniform(12, 1f, 8);
        float[] got = Oracle.gemm(FAST, false, false, 3, 4, 0, 1f, new float[0], new float[0], 0.5f, c);
        float[] ref = Oracle.gemm(REF, false, false, 3, 4, 0, 1f, new float[0], new float[0], 0.5f, c);
        assertTrue(Arrays.equals(ref, got), "k = 0 leaves beta * C");
    }
}
