package dev.cxr.engine.backend.cpu.fast;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cxr.engine.backend.Backend;
import dev.cxr.engine.backend.PoolSpec;
import dev.cxr.engine.backend.cpu.ReferenceBackend;
import dev.cxr.engine.tensor.Shape;
import dev.cxr.engine.tensor.Tensor;
import dev.cxr.engine.testing.Data;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The fast backend's elementwise, pooling, softmax, loss and Adam ops against the reference on
 * seeded random data. These do the reference's float operations in its order, so they must agree
 * bit for bit: every comparison here is exact.
 */
class FastCpuElementwiseTest {
    private static final Backend REF = new ReferenceBackend();
    /** Three threads on two cores: uneven splits show up as differences. */
    private static final FastCpuBackend FAST = new FastCpuBackend(3);
    /** Larger than one task's chunk and not a multiple of the vector length: exercises every path. */
    private static final int SIZE = Elementwise.CHUNK * 2 + 37;

    @AfterAll
    static void close() {
        FAST.close();
    }

    private static float[] run(Backend b, Shape shape, float[] init, java.util.function.BiConsumer<Backend, Tensor> op) {
        try (Tensor t = b.upload(shape, init)) {
            op.accept(b, t);
            return b.download(t);
        }
    }

    @Test
    void addMulAndCopyAreExact() {
        Shape s = Shape.of(SIZE);
        float[] a = Data.uniform(SIZE, 3f, 1);
        float[] c = Data.uniform(SIZE, 3f, 2);
        float[] refAdd = run(REF, s, c, (b, dst) -> b.add(b.upload(s, a), dst));
        float[] fastAdd = run(FAST, s, c, (b, dst) -> b.add(b.upload(s, a), dst));
        assertArrayEquals(refAdd, fastAdd);
        float[] refMul = run(REF, s, c, (b, out) -> b.mul(b.upload(s, a), out, out));
        float[] fastMul = run(FAST, s, c, (b, out) -> b.mul(b.upload(s, a), out, out));
        assertArrayEquals(refMul, fastMul);
        float[] fastCopy = run(FAST, s, c, (b, dst) -> b.copy(b.upload(s, a), dst));
        assertArrayEquals(a, fastCopy);
        float[] fastFill = run(FAST, s, c, (b, dst) -> b.fill(dst, 2.5f));
        assertEquals(2.5f, fastFill[SIZE - 1]);
        assertEquals(2.5f, fastFill[0]);
    }

    @Test
    void reluForwardAndBackwardAreExact() {
        Shape s = Shape.of(SIZE);
        float[] x = Data.uniform(SIZE, 1f, 3);
        x[5] = -0f;
        x[6] = Float.NaN;
        float[] dy = Data.uniform(SIZE, 1f, 4);
        assertArrayEquals(run(REF, s, x, (b, t) -> b.reluForward(t, t)), run(FAST, s, x, (b, t) -> b.reluForward(t, t)));
        assertArrayEquals(run(REF, s, dy, (b, t) -> b.reluBackward(b.upload(s, x), t, t)),
                run(FAST, s, dy, (b, t) -> b.reluBackward(b.upload(s, x), t, t)));
    }

    @Test
    void biasAddAndBiasBackwardAreExact() {
        Shape s = Shape.of(3, 5, 7, 9);
        float[] y = Data.uniform(s.size(), 1f, 5);
        float[] bias = Data.uniform(5, 1f, 6);
        assertArrayEquals(run(REF, s, y, (b, t) -> b.biasAdd(t, b.upload(Shape.of(5), bias))),
                run(FAST, s, y, (b, t) -> b.biasAdd(t, b.upload(Shape.of(5), bias))));
        Shape dense = Shape.of(4, 33);
        float[] yd = Data.uniform(dense.size(), 1f, 7);
        float[] bd = Data.uniform(33, 1f, 8);
        assertArrayEquals(run(REF, dense, yd, (b, t) -> b.biasAdd(t, b.upload(Shape.of(33), bd))),
                run(FAST, dense, yd, (b, t) -> b.biasAdd(t, b.upload(Shape.of(33), bd))));
        // backward accumulates into a non-zero gradient
        float[] g0 = Data.uniform(5, 1f, 9);
        assertArrayEquals(run(REF, Shape.of(5), g0, (b, g) -> b.biasBackward(b.upload(s, y), g)),
                run(FAST, Shape.of(5), g0, (b, g) -> b.biasBackward(b.upload(s, y), g)));
    }

    @Test
    void adamStepIsExact() {
        Shape s = Shape.of(SIZE);
        float[] w = Data.uniform(SIZE, 1f, 10);
        float[] g = Data.uniform(SIZE, 1e-2f, 11);
        float[] m = Data.uniform(SIZE, 1e-3f, 12);
        float[] v = Data.uniform(SIZE, 1e-4f, 13);
        for (int i = 0; i < SIZE; i++) {
            v[i] = Math.abs(v[i]);
        }
        float[][] ref = adam(REF, s, w, g, m, v);
        float[][] fast = adam(FAST, s, w, g, m, v);
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(ref[i], fast[i], "Adam output " + i);
        }
    }

    private static float[][] adam(Backend b, Shape s, float[] w, float[] g, float[] m, float[] v) {
        try (Tensor tw = b.upload(s, w); Tensor tg = b.upload(s, g); Tensor tm = b.upload(s, m); Tensor tv = b.upload(s, v)) {
            b.adamStep(tw, tg, tm, tv, 1.3e-3f, 0.9f, 0.999f, 1e-7f);
            b.adamStep(tw, tg, tm, tv, 1.1e-3f, 0.9f, 0.999f, 1e-7f);
            return new float[][] {b.download(tw), b.download(tm), b.download(tv)};
        }
    }

    @Test
    void poolingIsExact() {
        Shape s = Shape.of(2, 3, 12, 10);
        float[] x = Data.uniform(s.size(), 1f, 14);
        // ties and signed zeros, where the first maximum must win
        x[0] = 0.5f;
        x[1] = 0.5f;
        x[10] = -0f;
        x[11] = 0f;
        x[12] = 0f;
        x[13] = -0f;
        for (PoolSpec p : new PoolSpec[] {PoolSpec.of(2, 2), PoolSpec.of(3, 2), PoolSpec.of(4, 4), new PoolSpec(2, 3, 1, 2)}) {
            Shape out = Shape.of(2, 3, p.outH(12), p.outW(10));
            float[] dy = Data.uniform(out.size(), 1f, 15);
            for (boolean max : new boolean[] {true, false}) {
                float[][] ref = pool(REF, s, out, x, dy, p, max);
                float[][] fast = pool(FAST, s, out, x, dy, p, max);
                assertArrayEquals(ref[0], fast[0], (max ? "max " : "avg ") + p + " forward");
                assertArrayEquals(ref[1], fast[1], (max ? "max " : "avg ") + p + " backward");
            }
        }
    }

    private static float[][] pool(Backend b, Shape s, Shape out, float[] x, float[] dy, PoolSpec p, boolean max) {
        try (Tensor tx = b.upload(s, x); Tensor ty = b.zeros(out); Tensor tdy = b.upload(out, dy);
             Tensor tdx = b.upload(s, Data.uniform(s.size(), 1f, 99))) {
            if (max) {
                b.maxPoolForward(tx, ty, p);
                b.maxPoolBackward(tx, ty, tdy, tdx, p);
            } else {
                b.avgPoolForward(tx, ty, p);
                b.avgPoolBackward(tdy, tdx, p);
            }
            return new float[][] {b.download(ty), b.download(tdx)};
        }
    }

    @Test
    void softmaxAndLossesAreExact() {
        Shape s = Shape.of(8, 2);
        float[] z = Data.uniform(16, 3f, 16);
        float[] target = {1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 1, 0, 0, 1, 0, 1};
        float[] refP = run(REF, s, z, (b, t) -> b.softmaxForward(b.upload(s, z), t));
        float[] fastP = run(FAST, s, z, (b, t) -> b.softmaxForward(b.upload(s, z), t));
        assertArrayEquals(refP, fastP);
        try (Tensor p = FAST.upload(s, fastP); Tensor y = FAST.upload(s, target); Tensor dp = FAST.zeros(s);
             Tensor rp = REF.upload(s, refP); Tensor ry = REF.upload(s, target); Tensor rdp = REF.zeros(s)) {
            assertEquals(REF.binaryCrossEntropy(rp, ry, rdp, 1e-7f), FAST.binaryCrossEntropy(p, y, dp, 1e-7f));
            assertArrayEquals(REF.download(rdp), FAST.download(dp));
            assertEquals(REF.categoricalCrossEntropy(rp, ry, rdp, 1e-7f), FAST.categoricalCrossEntropy(p, y, dp, 1e-7f));
            assertArrayEquals(REF.download(rdp), FAST.download(dp));
        }
        float[] dy = Data.uniform(16, 1f, 17);
        assertArrayEquals(run(REF, s, dy, (b, t) -> b.softmaxBackward(b.upload(s, refP), b.upload(s, dy), t)),
                run(FAST, s, dy, (b, t) -> b.softmaxBackward(b.upload(s, refP), b.upload(s, dy), t)));
    }
}
