package dev.cxr.engine.backend.cpu.fast;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cxr.engine.backend.ConvGeometry;
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
 * Which path the fast CPU backend takes, where its values are not the question (the backend-ops
 * harness compares those with the reference on every path): the convolution algorithm the default
 * policy picks per shape, which convolution + max pool pairs it fuses, and that a network's
 * inference takes the fused path with forward's values.
 */
class FastCpuChoicesTest {
    private static final PoolSpec POOL = PoolSpec.of(2, 2);
    private static final FastCpuBackend FAST = new FastCpuBackend(2);

    @AfterAll
    static void close() {
        FAST.close();
    }

    @Test
    void defaultPolicyUsesWinogradWhereChannelsPayForIt() {
        ConvSpec same = ConvSpec.same(3, 3, 1, 1, 224, 224);
        assertNull(FAST.algorithm(ConvGeometry.of(Shape.of(1, 3, 224, 224), Shape.of(64, 3, 3, 3), same), same));
        assertSame(
                Winograd.F4,
                FAST.algorithm(ConvGeometry.of(Shape.of(1, 64, 224, 224), Shape.of(64, 64, 3, 3), same), same));
        ConvSpec block5 = ConvSpec.same(3, 3, 1, 1, 14, 14);
        assertSame(
                Winograd.F2,
                FAST.algorithm(ConvGeometry.of(Shape.of(1, 512, 14, 14), Shape.of(512, 512, 3, 3), block5), block5));
        ConvSpec strided = ConvSpec.same(3, 3, 2, 2, 224, 224);
        assertNull(
                FAST.algorithm(ConvGeometry.of(Shape.of(1, 64, 224, 224), Shape.of(64, 64, 3, 3), strided), strided));
    }

    /** The shapes the harness's fusion cases are about fuse on the default backend (else it would check nothing there). */
    @Test
    void vgg16sPooledLayersAndTheCornerBasesMapsFuse() {
        int[][] same = {
            {1, 64, 224, 224, 64},
            {2, 128, 56, 56, 32},
            {2, 32, 28, 28, 48},
            {2, 64, 14, 14, 40},
            {2, 16, 13, 17, 16},
            {1, 16, 11, 9, 24}
        };
        for (int[] s : same) {
            ConvSpec spec = ConvSpec.same(3, 3, 1, 1, s[2], s[3]);
            assertTrue(
                    FAST.fusesConvMaxPool(Shape.of(s[0], s[1], s[2], s[3]), Shape.of(s[4], s[1], 3, 3), spec, POOL),
                    java.util.Arrays.toString(s));
        }
        ConvSpec leading = new ConvSpec(3, 3, 1, 1, 1, 0, 1, 0);
        assertTrue(FAST.fusesConvMaxPool(Shape.of(1, 16, 107, 107), Shape.of(16, 16, 3, 3), leading, POOL));
        assertTrue(FAST.fusesConvMaxPool(Shape.of(2, 32, 23, 23), Shape.of(16, 32, 3, 3), leading, POOL));
        assertTrue(FAST.fusesConvMaxPool(
                Shape.of(1, 16, 20, 26), Shape.of(16, 16, 3, 3), ConvSpec.valid(3, 3, 1, 1), POOL));
    }

    @Test
    void onlyWinogradConvolutionsWithTwoByTwoPoolsFuse() {
        ConvSpec same = ConvSpec.same(3, 3, 1, 1, 32, 32);
        assertFalse(
                FAST.fusesConvMaxPool(Shape.of(1, 3, 32, 32), Shape.of(16, 3, 3, 3), same, POOL),
                "3 input channels run as im2col GEMM");
        assertFalse(FAST.fusesConvMaxPool(Shape.of(1, 16, 32, 32), Shape.of(16, 16, 3, 3), same, PoolSpec.of(3, 2)));
        assertFalse(FAST.fusesConvMaxPool(Shape.of(1, 16, 32, 32), Shape.of(16, 16, 3, 3), same, PoolSpec.of(2, 1)));
        assertFalse(
                new ReferenceBackend().fusesConvMaxPool(Shape.of(1, 16, 32, 32), Shape.of(16, 16, 3, 3), same, POOL));
        try (Tensor x = FAST.zeros(Shape.of(1, 3, 8, 8));
                Tensor w = FAST.zeros(Shape.of(16, 3, 3, 3));
                Tensor y = FAST.zeros(Shape.of(1, 16, 4, 4))) {
            assertThrows(
                    IllegalArgumentException.class,
                    () -> FAST.conv2dMaxPoolForward(x, w, null, y, ConvSpec.same(3, 3, 1, 1, 8, 8), true, POOL));
        }
    }

    @Test
    void inferEqualsForwardAndKeepsNoConvolutionOutput() {
        Sequential net = Sequential.of(
                "net",
                new Conv2d(FAST, "c1", 3, 16, 3, 1, Padding.SAME, Activation.RELU),
                new Conv2d(FAST, "c2", 16, 16, 3, 1, Padding.SAME, Activation.RELU),
                new MaxPool2d(FAST, "p1", 2, 2),
                new Conv2d(FAST, "c3", 16, 32, 3, 1, Padding.SAME, Activation.RELU),
                new MaxPool2d(FAST, "p2", 2, 2));
        net.parameters()
                .forEach(
                        p -> p.set(Data.uniform(p.value().size(), 0.3f, p.name().hashCode())));
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
