package dev.cxr.engine.backend.cuda;

import static dev.cxr.engine.backend.cuda.CudaTesting.assertBitExact;
import static dev.cxr.engine.backend.cuda.CudaTesting.assertCloseOfMax;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cxr.engine.backend.ConvSpec;
import dev.cxr.engine.backend.PoolSpec;
import dev.cxr.engine.backend.cpu.ReferenceBackend;
import dev.cxr.engine.tensor.Shape;
import dev.cxr.engine.tensor.Tensor;
import dev.cxr.engine.testing.Data;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every op of the CUDA backend against the reference CPU backend on seeded random data (never zeros),
 * on small shapes that reach the edge cases: sizes that are not multiples of the kernels' tiles,
 * asymmetric padding, strides, overlapping pooling windows, ties, clipped probabilities. Skipped,
 * with the probe's reason, where there is no usable GPU.
 *
 * <p>Tolerances, as max |gpu - ref| / max |ref| unless bit-exact:
 */
class CudaOpsTest {
    /** Convolutions: float32 sums of up to C*kh*kw = 144 products, in cuDNN's order versus the reference's; ~100 ulps of the largest output. */
    private static final double CONV_TOL = 2e-5;
    /** gemm: float32 dot products of up to 512 terms in a different order (tiles, or cuBLAS's). */
    private static final double GEMM_TOL = 2e-5;
    /** softmax: cuDNN's exp against Java's, a few ulps of probabilities at most 1. */
    private static final double SOFTMAX_TOL = 1e-6;
    /** average pooling forward: cuDNN may multiply by 1/count where the reference divides. */
    private static final double AVG_POOL_TOL = 1e-6;
    /** bias gradient: float32 sums over n and positions (up to 98 terms) in cuDNN's order. */
    private static final double BIAS_GRAD_TOL = 1e-5;
    /** the loss value: both sum in double; the float result may differ in its last bit. */
    private static final double LOSS_TOL = 1e-6;

    private static CudaBackend gpu;
    private static final ReferenceBackend REF = new ReferenceBackend();

    @BeforeAll
    static void open() {
        gpu = CudaTesting.openIfUsable("CudaOpsTest");
    }

    @BeforeEach
    void gpuPresent() {
        CudaTesting.assumeGpu(gpu);
    }

    @AfterAll
    static void close() {
        CudaTesting.printPlans("CudaOpsTest", gpu);
        if (gpu != null) {
            gpu.close();
        }
    }

    /** The same data on both backends. */
    private record Pair(Tensor cpu, Tensor gpu) implements AutoCloseable {
        static Pair of(Shape shape, float[] data) {
            return new Pair(REF.upload(shape, data), CudaOpsTest.gpu.upload(shape, data));
        }

        static Pair uniform(Shape shape, float scale, long seed) {
            return of(shape, Data.uniform(shape.size(), scale, seed));
        }

        float[] expected() {
            return REF.download(cpu);
        }

        float[] actual() {
            return CudaOpsTest.gpu.download(gpu);
        }

        @Override
        public void close() {
            cpu.close();
            gpu.close();
        }
    }

    // ---- memory ----

    @Test
    void uploadDownloadFillCopyAndZeros() {
        // small (pageable copy), above the pinned threshold, and above the pinned buffer (copied in pieces)
        for (int n : new int[] {1, 1000, 300_000, 17_000_001}) {
            float[] data = Data.uniform(n, 3f, n);
            try (Tensor t = gpu.upload(Shape.of(n), data)) {
                assertTrue(Arrays.equals(data, gpu.download(t)), "round trip of " + n + " floats");
                try (Tensor c = gpu.zeros(Shape.of(n))) {
                    float[] z = gpu.download(c);
                    assertTrue(allEqual(z, 0f), "zeros(" + n + ")");
                    gpu.copy(t, c);
                    assertTrue(Arrays.equals(data, gpu.download(c)), "copy of " + n);
                    gpu.fill(c, -2.5f);
                    assertTrue(allEqual(gpu.download(c), -2.5f), "fill of " + n);
                }
            }
        }
        try (Tensor t = gpu.upload(Shape.of(2, 3), Data.uniform(6, 1f, 5))) {
            Tensor view = t.view(Shape.of(6));
            assertEquals(6, gpu.download(view).length);
        }
    }

    private static boolean allEqual(float[] a, float v) {
        for (float x : a) {
            if (x != v) {
                return false;
            }
        }
        return true;
    }

    @Test
    void tensorsOfAnotherBackendOrClosedOnesAreRefused() {
        try (Tensor cpu = REF.upload(Shape.of(4), Data.uniform(4, 1f, 1));
             Tensor g = gpu.upload(Shape.of(4), Data.uniform(4, 1f, 2))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> gpu.add(cpu, g));
            assertTrue(e.getMessage().contains("not on this GPU"), e.getMessage());
        }
        Tensor closed = gpu.upload(Shape.of(4), Data.uniform(4, 1f, 3));
        closed.close();
        closed.close();
        assertThrows(IllegalStateException.class, () -> gpu.download(closed));
    }

    // ---- elementwise ----

    @Test
    void addMulAndReluAreBitExact() {
        Shape s = Shape.of(3, 5, 7, 11);
        try (Pair a = Pair.uniform(s, 2f, 11); Pair b = Pair.uniform(s, 2f, 12); Pair out = Pair.uniform(s, 1f, 13)) {
            REF.add(a.cpu, b.cpu);
            gpu.add(a.gpu, b.gpu);
            assertBitExact("add", b.expected(), b.actual());
            REF.mul(a.cpu, b.cpu, out.cpu);
            gpu.mul(a.gpu, b.gpu, out.gpu);
            assertBitExact("mul", out.expected(), out.actual());
            REF.mul(a.cpu, b.cpu, a.cpu);
            gpu.mul(a.gpu, b.gpu, a.gpu);
            assertBitExact("mul in place", a.expected(), a.actual());
            REF.reluForward(b.cpu, out.cpu);
            gpu.reluForward(b.gpu, out.gpu);
            assertBitExact("relu forward", out.expected(), out.actual());
            try (Pair dy = Pair.uniform(s, 1f, 14)) {
                REF.reluBackward(out.cpu, dy.cpu, dy.cpu);
                gpu.reluBackward(out.gpu, dy.gpu, dy.gpu);
                assertBitExact("relu backward (dx = dy)", dy.expected(), dy.actual());
            }
            REF.reluForward(b.cpu, b.cpu);
            gpu.reluForward(b.gpu, b.gpu);
            assertBitExact("relu forward in place", b.expected(), b.actual());
        }
    }

    // ---- gemm ----

    @Test
    void gemmInEveryTransposeWithAlphaAndBeta() {
        int[][] sizes = {{37, 19, 53}, {8, 64, 512}, {512, 64, 8}, {8, 2, 64}, {1, 1, 1}};
        long seed = 100;
        for (int[] mnk : sizes) {
            int m = mnk[0];
            int n = mnk[1];
            int k = mnk[2];
            for (boolean ta : new boolean[] {false, true}) {
                for (boolean tb : new boolean[] {false, true}) {
                    try (Pair a = Pair.uniform(ta ? Shape.of(k, m) : Shape.of(m, k), 1f, seed++);
                         Pair b = Pair.uniform(tb ? Shape.of(n, k) : Shape.of(k, n), 1f, seed++);
                         Pair c = Pair.uniform(Shape.of(m, n), 1f, seed++);
                         Pair nan = Pair.of(Shape.of(m, n), filled(m * n, Float.NaN))) {
                        String what = "gemm m=" + m + " n=" + n + " k=" + k + (ta ? " A^T" : "") + (tb ? " B^T" : "");
                        REF.gemm(ta, tb, m, n, k, 0.5f, a.cpu, b.cpu, 1f, c.cpu);
                        gpu.gemm(ta, tb, m, n, k, 0.5f, a.gpu, b.gpu, 1f, c.gpu);
                        assertCloseOfMax(what + " beta=1", c.expected(), c.actual(), GEMM_TOL);
                        REF.gemm(ta, tb, m, n, k, 1f, a.cpu, b.cpu, 0f, nan.cpu);
                        gpu.gemm(ta, tb, m, n, k, 1f, a.gpu, b.gpu, 0f, nan.gpu);
                        assertCloseOfMax(what + " beta=0 over NaN", nan.expected(), nan.actual(), GEMM_TOL);
                    }
                }
            }
        }
    }

    private static float[] filled(int n, float v) {
        float[] a = new float[n];
        Arrays.fill(a, v);
        return a;
    }

    // ---- bias ----

    @Test
    void biasAddIsBitExactAndBiasGradientAccumulates() {
        for (Shape s : List.of(Shape.of(3, 7), Shape.of(2, 5, 7, 7), Shape.of(1, 3, 1, 1))) {
            int c = s.c();
            try (Pair y = Pair.uniform(s, 2f, 21); Pair bias = Pair.uniform(Shape.of(c), 1f, 22);
                 Pair db = Pair.uniform(Shape.of(c), 1f, 23)) {
                REF.biasAdd(y.cpu, bias.cpu);
                gpu.biasAdd(y.gpu, bias.gpu);
                assertBitExact("bias add " + s, y.expected(), y.actual());
                REF.biasBackward(y.cpu, db.cpu);
                gpu.biasBackward(y.gpu, db.gpu);
                assertCloseOfMax("bias gradient (accumulating) " + s, db.expected(), db.actual(), BIAS_GRAD_TOL);
            }
        }
    }

    // ---- softmax ----

    @Test
    void softmaxForwardAndBackward() {
        for (Shape s : List.of(Shape.of(8, 2), Shape.of(5, 13), Shape.of(1, 1))) {
            try (Pair x = Pair.uniform(s, 6f, 31); Pair y = Pair.uniform(s, 1f, 32); Pair dy = Pair.uniform(s, 1f, 33);
                 Pair dx = Pair.uniform(s, 1f, 34)) {
                REF.softmaxForward(x.cpu, y.cpu);
                gpu.softmaxForward(x.gpu, y.gpu);
                assertCloseOfMax("softmax forward " + s, y.expected(), y.actual(), SOFTMAX_TOL);
                REF.softmaxBackward(y.cpu, dy.cpu, dx.cpu);
                gpu.softmaxBackward(y.gpu, dy.gpu, dx.gpu);
                assertCloseOfMax("softmax backward " + s, dx.expected(), dx.actual(), SOFTMAX_TOL);
            }
        }
    }

    // ---- convolution ----

    @Test
    void convolutionsWithSymmetricAndAsymmetricPaddingAndStrides() {
        record Case(String name, Shape x, int k, ConvSpec spec) {
        }
        List<Case> cases = List.of(
                new Case("3x3 same stride 1", Shape.of(2, 3, 7, 6), 4, ConvSpec.same(3, 3, 1, 1, 7, 6)),
                new Case("3x3 valid stride 2", Shape.of(2, 3, 9, 8), 5, ConvSpec.valid(3, 3, 2, 2)),
                new Case("2x2 same stride 1 (pad 0/1: explicit)", Shape.of(2, 3, 5, 6), 4, ConvSpec.same(2, 2, 1, 1, 5, 6)),
                new Case("3x3 same stride 2 on 8x8 (pad 0/1: explicit)", Shape.of(2, 2, 8, 8), 3, ConvSpec.same(3, 3, 2, 2, 8, 8)),
                new Case("1x1", Shape.of(3, 16, 4, 5), 8, ConvSpec.valid(1, 1, 1, 1)),
                new Case("3x3 same, 16 -> 8 channels", Shape.of(2, 16, 10, 10), 8, ConvSpec.same(3, 3, 1, 1, 10, 10)));
        long seed = 1000;
        for (Case c : cases) {
            ConvSpec s = c.spec;
            Shape wShape = Shape.of(c.k, c.x.c(), s.kernelH(), s.kernelW());
            Shape yShape = Shape.of(c.x.n(), c.k, s.outH(c.x.h()), s.outW(c.x.w()));
            try (Pair x = Pair.uniform(c.x, 1f, seed++); Pair w = Pair.uniform(wShape, 0.5f, seed++);
                 Pair b = Pair.uniform(Shape.of(c.k), 0.5f, seed++); Pair y = Pair.uniform(yShape, 1f, seed++);
                 Pair dy = Pair.uniform(yShape, 1f, seed++); Pair dx = Pair.uniform(c.x, 1f, seed++);
                 Pair dw = Pair.uniform(wShape, 1f, seed++)) {
                for (int variant = 0; variant < 3; variant++) {
                    boolean withBias = variant < 2;
                    boolean relu = variant != 1;
                    REF.conv2dForward(x.cpu, w.cpu, withBias ? b.cpu : null, y.cpu, s, relu);
                    gpu.conv2dForward(x.gpu, w.gpu, withBias ? b.gpu : null, y.gpu, s, relu);
                    assertCloseOfMax("conv forward " + c.name + (withBias ? " +bias" : "") + (relu ? " +relu" : ""),
                            y.expected(), y.actual(), CONV_TOL);
                }
                REF.conv2dBackwardData(dy.cpu, w.cpu, dx.cpu, s);
                gpu.conv2dBackwardData(dy.gpu, w.gpu, dx.gpu, s);
                assertCloseOfMax("conv backward data " + c.name, dx.expected(), dx.actual(), CONV_TOL);
                REF.conv2dBackwardFilter(x.cpu, dy.cpu, dw.cpu, s);
                gpu.conv2dBackwardFilter(x.gpu, dy.gpu, dw.gpu, s);
                assertCloseOfMax("conv backward filter (accumulating) " + c.name, dw.expected(), dw.actual(), CONV_TOL);
            }
        }
    }

    // ---- pooling ----

    @Test
    void maxPoolingWithDistinctValuesAndOverlappingWindows() {
        record Case(Shape x, PoolSpec p) {
        }
        long seed = 2000;
        for (Case c : List.of(new Case(Shape.of(2, 3, 8, 6), PoolSpec.of(2, 2)), new Case(Shape.of(2, 3, 9, 7), PoolSpec.of(3, 2)),
                new Case(Shape.of(1, 2, 7, 7), PoolSpec.of(2, 2)), new Case(Shape.of(2, 2, 7, 7), PoolSpec.of(4, 4)))) {
            Shape yShape = Shape.of(c.x.n(), c.x.c(), c.p.outH(c.x.h()), c.p.outW(c.x.w()));
            try (Pair x = Pair.of(c.x, Data.distinct(c.x.size(), 0.01f, seed++)); Pair y = Pair.uniform(yShape, 1f, seed++);
                 Pair dy = Pair.uniform(yShape, 1f, seed++); Pair dx = Pair.uniform(c.x, 1f, seed++)) {
                REF.maxPoolForward(x.cpu, y.cpu, c.p);
                gpu.maxPoolForward(x.gpu, y.gpu, c.p);
                assertBitExact("max pool forward " + c.x + " " + c.p, y.expected(), y.actual());
                REF.maxPoolBackward(x.cpu, y.cpu, dy.cpu, dx.cpu, c.p);
                gpu.maxPoolBackward(x.gpu, y.gpu, dy.gpu, dx.gpu, c.p);
                assertBitExact("max pool backward " + c.x + " " + c.p, dx.expected(), dx.actual());
            }
        }
    }

    @Test
    void maxPoolBackwardGivesTiesToTheFirstMaximumAsTensorFlowDoes() {
        // values from {-1, 0, 1, 2}: most 2x2 and 3x3 windows hold several equal maxima
        Shape s = Shape.of(2, 2, 9, 9);
        float[] x = Data.uniform(s.size(), 1f, 77);
        for (int i = 0; i < x.length; i++) {
            x[i] = Math.round(x[i] * 1.5f + 0.5f);
        }
        for (PoolSpec p : List.of(PoolSpec.of(2, 2), PoolSpec.of(3, 2))) {
            Shape yShape = Shape.of(2, 2, p.outH(9), p.outW(9));
            try (Pair xs = Pair.of(s, x); Pair y = Pair.uniform(yShape, 1f, 78); Pair dy = Pair.uniform(yShape, 1f, 79);
                 Pair dx = Pair.uniform(s, 1f, 80)) {
                REF.maxPoolForward(xs.cpu, y.cpu, p);
                gpu.maxPoolForward(xs.gpu, y.gpu, p);
                assertBitExact("max pool forward with ties " + p, y.expected(), y.actual());
                REF.maxPoolBackward(xs.cpu, y.cpu, dy.cpu, dx.cpu, p);
                gpu.maxPoolBackward(xs.gpu, y.gpu, dy.gpu, dx.gpu, p);
                assertBitExact("max pool backward with ties " + p, dx.expected(), dx.actual());
            }
        }
    }

    @Test
    void averagePooling() {
        record Case(Shape x, PoolSpec p) {
        }
        long seed = 3000;
        for (Case c : List.of(new Case(Shape.of(2, 8, 7, 7), PoolSpec.of(4, 4)), new Case(Shape.of(2, 3, 9, 8), PoolSpec.of(3, 2)),
                new Case(Shape.of(3, 2, 6, 6), PoolSpec.of(2, 2)))) {
            Shape yShape = Shape.of(c.x.n(), c.x.c(), c.p.outH(c.x.h()), c.p.outW(c.x.w()));
            try (Pair x = Pair.uniform(c.x, 2f, seed++); Pair y = Pair.uniform(yShape, 1f, seed++);
                 Pair dy = Pair.uniform(yShape, 1f, seed++); Pair dx = Pair.uniform(c.x, 1f, seed++)) {
                REF.avgPoolForward(x.cpu, y.cpu, c.p);
                gpu.avgPoolForward(x.gpu, y.gpu, c.p);
                assertCloseOfMax("average pool forward " + c.x + " " + c.p, y.expected(), y.actual(), AVG_POOL_TOL);
                REF.avgPoolBackward(dy.cpu, dx.cpu, c.p);
                gpu.avgPoolBackward(dy.gpu, dx.gpu, c.p);
                assertBitExact("average pool backward " + c.x + " " + c.p, dx.expected(), dx.actual());
            }
        }
    }

    // ---- losses ----

    @Test
    void lossesAndTheirGradients() {
        float eps = 1e-7f;
        Shape s = Shape.of(8, 2);
        float[] p = Data.uniform(s.size(), 0.5f, 41);
        for (int i = 0; i < p.length; i++) {
            p[i] += 0.5f;
        }
        p[3] = 0f;          // clipped low: zero gradient
        p[6] = 1f;          // clipped high
        p[9] = 1e-8f;       // below eps
        float[] t = new float[s.size()];
        for (int i = 0; i < s.n(); i++) {
            t[2 * i + (i % 2)] = 1f;
        }
        try (Pair ps = Pair.of(s, p); Pair ts = Pair.of(s, t); Pair dp = Pair.uniform(s, 1f, 42)) {
            float lossRef = REF.binaryCrossEntropy(ps.cpu, ts.cpu, dp.cpu, eps);
            float lossGpu = gpu.binaryCrossEntropy(ps.gpu, ts.gpu, dp.gpu, eps);
            assertRelative("binary cross-entropy", lossRef, lossGpu);
            assertBitExact("binary cross-entropy gradient", dp.expected(), dp.actual());
            assertRelative("binary cross-entropy without gradient", lossRef, gpu.binaryCrossEntropy(ps.gpu, ts.gpu, null, eps));

            lossRef = REF.categoricalCrossEntropy(ps.cpu, ts.cpu, dp.cpu, eps);
            lossGpu = gpu.categoricalCrossEntropy(ps.gpu, ts.gpu, dp.gpu, eps);
            assertRelative("categorical cross-entropy", lossRef, lossGpu);
            assertBitExact("categorical cross-entropy gradient", dp.expected(), dp.actual());
            assertRelative("categorical cross-entropy without gradient", lossRef,
                    gpu.categoricalCrossEntropy(ps.gpu, ts.gpu, null, eps));
        }
    }

    private static void assertRelative(String what, float expected, float actual) {
        double rel = Math.abs((double) expected - actual) / Math.abs(expected);
        System.out.printf("  %-56s %.9g vs %.9g, relative %.1e%n", what, expected, actual, rel);
        assertTrue(rel <= LOSS_TOL, what + ": " + expected + " vs " + actual);
    }

    // ---- Adam ----

    @Test
    void adamStepIsBitExactOverSeveralSteps() {
        Shape s = Shape.of(1000, 3);
        try (Pair w = Pair.uniform(s, 1f, 51); Pair m = Pair.uniform(s, 0.1f, 52); Pair v = Pair.of(s, positive(s.size(), 53))) {
            for (int step = 0; step < 4; step++) {
                try (Pair g = Pair.uniform(s, 0.3f, 60 + step)) {
                    float alpha = 1e-3f * (float) Math.sqrt(1 - Math.pow(0.999, step + 1)) / (float) (1 - Math.pow(0.9, step + 1));
                    REF.adamStep(w.cpu, g.cpu, m.cpu, v.cpu, alpha, 0.9f, 0.999f, 1e-7f);
                    gpu.adamStep(w.gpu, g.gpu, m.gpu, v.gpu, alpha, 0.9f, 0.999f, 1e-7f);
                }
            }
            assertBitExact("adam weights after 4 steps", w.expected(), w.actual());
            assertBitExact("adam first moments", m.expected(), m.actual());
            assertBitExact("adam second moments", v.expected(), v.actual());
        }
    }

    private static float[] positive(int n, long seed) {
        float[] a = Data.uniform(n, 0.01f, seed);
        for (int i = 0; i < n; i++) {
            a[i] = Math.abs(a[i]) + 1e-4f;
        }
        return a;
    }
}
