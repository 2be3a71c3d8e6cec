package dev.cxr.engine.backend.cpu.fast;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cxr.engine.backend.ConvSpec;
import dev.cxr.engine.backend.PoolSpec;
import dev.cxr.engine.backend.cpu.ReferenceBackend;
import dev.cxr.engine.layers.Activation;
import dev.cxr.engine.layers.Conv2d;
import dev.cxr.engine.layers.MaxPool2d;
import dev.cxr.engine.layers.Padding;
import dev.cxr.engine.layers.Sequential;
import dev.cxr.engine.tensor.Shape;
import dev.cxr.engine.tensor.Tensor;
import dev.cxr.engine.testing.Data;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * A Winograd convolution with its 2x2 max pool taken as each output tile is written gives the
 * values of the convolution followed by the max pool op, bit for bit: the tiles' values are the
 * same, and each window's maximum is taken in the same order with the same tie rule.
 */
class FastCpuConvPoolFusionTest {
    private static final PoolSpec POOL = PoolSpec.of(2, 2);
    private static final FastCpuBackend FAST = new FastCpuBackend(2);
    private static final FastCpuBackend F2 = new FastCpuBackend(2, (g, s) -> WinogradConv.applies(s) ? Winograd.F2 : null);

    @AfterAll
    static void close() {
        FAST.close();
        F2.close();
    }

    /** conv2dMaxPoolForward against conv2dForward then maxPoolForward on the same backend. */
    private static void fusedEqualsTwoOps(FastCpuBackend b, int n, int c, int h, int w, int k, ConvSpec s, long seed) {
        Shape xs = Shape.of(n, c, h, w);
        Shape ws = Shape.of(k, c, 3, 3);
        assertTrue(b.fusesConvMaxPool(xs, ws, s, POOL), "fuses " + xs + " " + s);
        // ties on purpose: values on a coarse grid, so windows often hold equal maxima (and zeros after ReLU)
        float[] xv = Data.uniform(xs.size(), 1f, seed);
        for (int i = 0; i < xv.length; i++) {
            xv[i] = Math.round(xv[i] * 4) / 4f;
        }
        float[] wv = Data.uniform(ws.size(), 0.5f, seed + 1);
        for (int i = 0; i < wv.length; i++) {
            wv[i] = Math.round(wv[i] * 8) / 8f;
        }
        float[] bv = Data.uniform(k, 0.1f, seed + 2);
        int oh = s.outH(h);
        int ow = s.outW(w);
        Shape ys = Shape.of(n, k, POOL.outH(oh), POOL.outW(ow));
        try (Tensor x = b.upload(xs, xv); Tensor wt = b.upload(ws, wv); Tensor bias = b.upload(Shape.of(k), bv);
             Tensor conv = b.zeros(Shape.of(n, k, oh, ow)); Tensor twoOps = b.zeros(ys); Tensor fused = b.zeros(ys)) {
            for (boolean relu : new boolean[] {true, false}) {
                b.conv2dForward(x, wt, bias, conv, s, relu);
                b.maxPoolForward(conv, twoOps, POOL);
                b.fill(fused, Float.NaN);   // every output must be written
                b.conv2dMaxPoolForward(x, wt, bias, fused, s, relu, POOL);
                assertArrayEquals(b.download(twoOps), b.download(fused),
                        xs + " -> " + ys + (relu ? " with ReLU" : "") + ": fused differs from conv then pool");
            }
        }
    }

    @Test
    void vgg16sPooledLayersAtF4() {
        fusedEqualsTwoOps(FAST, 1, 64, 224, 224, 64, ConvSpec.same(3, 3, 1, 1, 224, 224), 1);
        fusedEqualsTwoOps(FAST, 2, 128, 56, 56, 32, ConvSpec.same(3, 3, 1, 1, 56, 56), 2);
        fusedEqualsTwoOps(FAST, 2, 32, 28, 28, 48, ConvSpec.same(3, 3, 1, 1, 28, 28), 3);
    }

    @Test
    void vgg16sBlock5AtF2() {
        fusedEqualsTwoOps(FAST, 2, 64, 14, 14, 40, ConvSpec.same(3, 3, 1, 1, 14, 14), 4);
        fusedEqualsTwoOps(F2, 2, 16, 30, 22, 20, ConvSpec.same(3, 3, 1, 1, 30, 22), 5);
    }

    @Test
    void partialTilesAndOddSidesPoolAsTheOpFloorsThem() {
        // odd sides: the last row and column of the convolution belong to no window
        fusedEqualsTwoOps(FAST, 2, 16, 13, 17, 16, ConvSpec.same(3, 3, 1, 1, 13, 17), 6);
        fusedEqualsTwoOps(F2, 1, 16, 11, 9, 24, ConvSpec.same(3, 3, 1, 1, 11, 9), 7);
        // the corner base's maps: LEADING padding (top and left only), sides 106 and 22
        fusedEqualsTwoOps(FAST, 1, 16, 107, 107, 16, new ConvSpec(3, 3, 1, 1, 1, 0, 1, 0), 8);
        fusedEqualsTwoOps(FAST, 2, 32, 23, 23, 16, new ConvSpec(3, 3, 1, 1, 1, 0, 1, 0), 9);
        // 'valid' padding
        fusedEqualsTwoOps(FAST, 1, 16, 20, 26, 16, ConvSpec.valid(3, 3, 1, 1), 10);
    }

    @Test
    void onlyWinogradConvolutionsWithTwoByTwoPoolsFuse() {
        ConvSpec same = ConvSpec.same(3, 3, 1, 1, 32, 32);
        assertFalse(FAST.fusesConvMaxPool(Shape.of(1, 3, 32, 32), Shape.of(16, 3, 3, 3), same, POOL),
                "3 input channels run as im2col GEMM");
        assertFalse(FAST.fusesConvMaxPool(Shape.of(1, 16, 32, 32), Shape.of(16, 16, 3, 3), same, PoolSpec.of(3, 2)));
        assertFalse(FAST.fusesConvMaxPool(Shape.of(1, 16, 32, 32), Shape.of(16, 16, 3, 3), same, PoolSpec.of(2, 1)));
        assertFalse(new ReferenceBackend().fusesConvMaxPool(Shape.of(1, 16, 32, 32), Shape.of(16, 16, 3, 3), same, POOL));
        try (Tensor x = FAST.zeros(Shape.of(1, 3, 8, 8)); Tensor w = FAST.zeros(Shape.of(16, 3, 3, 3));
             Tensor y = FAST.zeros(Shape.of(1, 16, 4, 4))) {
            assertThrows(IllegalArgumentException.class,
                    () -> FAST.conv2dMaxPoolForward(x, w, null, y, ConvSpec.same(3, 3, 1, 1, 8, 8), true, POOL));
        }
    }

    @Test
    void inferEqualsForwardAndKeepsNoConvolutionOutput() {
        Sequential net = Sequential.of("net",
                new Conv2d(FAST, "c1", 3, 16, 3, 1, Padding.SAME, Activation.RELU),
                new Conv2d(FAST, "c2", 16, 16, 3, 1, Padding.SAME, Activation.RELU),
                new MaxPool2d(FAST, "p1", 2, 2),
                new Conv2d(FAST, "c3", 16, 32, 3, 1, Padding.SAME, Activation.RELU),
                new MaxPool2d(FAST, "p2", 2, 2));
        net.parameters().forEach(p -> p.set(Data.uniform(p.value().size(), 0.3f, p.name().hashCode())));
        Shape in = Shape.of(2, 3, 36, 36);
        try (Tensor x = FAST.upload(in, Data.uniform(in.size(), 1f, 11))) {
            float[] twoOps = FAST.download(net.forward(x, false));
            float[] fused = FAST.download(net.infer(x));
            assertEquals(net.outputShape(in).size(), fused.length);
            assertArrayEquals(twoOps, fused, "infer and forward differ");
        }
        net.close();
    }
}
