package dev.cxr.engine.backend.cpu.fast;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.cxr.engine.backend.Backend;
import dev.cxr.engine.backend.ConvSpec;
import dev.cxr.engine.backend.PoolSpec;
import dev.cxr.engine.layers.Activation;
import dev.cxr.engine.layers.Conv2d;
import dev.cxr.engine.layers.MaxPool2d;
import dev.cxr.engine.layers.Padding;
import dev.cxr.engine.layers.Sequential;
import dev.cxr.engine.tensor.Shape;
import dev.cxr.engine.tensor.Tensor;
import dev.cxr.engine.testing.Data;
import dev.cxr.engine.testing.Ops;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The same inputs give the same bits on every run and for 1, 2 or 3 threads: the CLI promises the
 * same numbers for the same command and seed, on any machine's core count.
 */
class FastCpuDeterminismTest {
    private static final int[] THREADS = {1, 2, 3};

    /** Runs {@code op} on a fresh backend per thread count, twice each; all results must be identical. */
    private static void assertSameBits(String what, Function<FastCpuBackend, float[]> op) {
        float[] first = null;
        for (int threads : THREADS) {
            try (FastCpuBackend b = new FastCpuBackend(threads)) {
                for (int run = 0; run < 2; run++) {
                    float[] got = op.apply(b);
                    if (first == null) {
                        first = got;
                    } else {
                        assertArrayEquals(first, got, what + ": " + threads + " threads, run " + (run + 1));
                    }
                }
            }
        }
    }

    @Test
    void convolutionsInEveryAlgorithm() {
        int[][] shapes = {
            // n, c, h, w, k: im2col (3 channels), Winograd fused, Winograd grouped (large kernels)
            {2, 3, 30, 26, 16},
            {2, 32, 40, 36, 48},
            {2, 192, 14, 14, 200},
        };
        for (int[] sh : shapes) {
            Shape xs = Shape.of(sh[0], sh[1], sh[2], sh[3]);
            Shape ws = Shape.of(sh[4], sh[1], 3, 3);
            ConvSpec s = ConvSpec.same(3, 3, 1, 1, sh[2], sh[3]);
            float[] x = Data.uniform(xs.size(), 1f, 1);
            float[] w = Data.uniform(ws.size(), 0.2f, 2);
            float[] bias = Data.uniform(sh[4], 0.1f, 3);
            float[] dy = Data.uniform(sh[0] * sh[4] * sh[2] * sh[3], 1f, 4);
            String name = java.util.Arrays.toString(sh);
            assertSameBits("forward " + name, b -> Ops.conv(b, xs, x, ws, w, bias, s, true));
            assertSameBits("backward data " + name, b -> Ops.convBackwardData(b, xs, ws, w, dy, s));
            assertSameBits(
                    "backward filter " + name, b -> Ops.convBackwardFilter(b, xs, x, ws, new float[ws.size()], dy, s));
        }
        Shape xs = Shape.of(2, 3, 20, 20);
        ConvSpec strided = ConvSpec.same(5, 5, 2, 2, 20, 20);
        float[] x = Data.uniform(xs.size(), 1f, 5);
        float[] w = Data.uniform(8 * 3 * 25, 1f, 6);
        assertSameBits("strided forward", b -> Ops.conv(b, xs, x, Shape.of(8, 3, 5, 5), w, null, strided, false));
    }

    @Test
    void gemm() {
        float[] a = Data.uniform(300 * 400, 1f, 7);
        float[] bm = Data.uniform(400 * 250, 1f, 8);
        float[] c = Data.uniform(300 * 250, 1f, 9);
        assertSameBits("gemm", b -> Ops.gemm(b, false, true, 300, 250, 400, 1f, a, bm, 0.5f, c));
    }

    /** A small VGG-like stack end to end: the arithmetic of each value never depends on the split. */
    @Test
    void networkForward() {
        float[] input = Data.uniform(2 * 3 * 64 * 64, 1f, 10);
        assertSameBits("network", b -> {
            Sequential net = smallVgg(b);
            try (Tensor x = b.upload(Shape.of(2, 3, 64, 64), input)) {
                return b.download(net.forward(x, false));
            } finally {
                net.close();
            }
        });
    }

    /** One image of a batch gives the same bits as that image alone (tiles never mix images). */
    @Test
    void batchInvariant() {
        float[] pair = Data.uniform(2 * 3 * 64 * 64, 1f, 11);
        float[] second = java.util.Arrays.copyOfRange(pair, 3 * 64 * 64, pair.length);
        try (FastCpuBackend b = new FastCpuBackend(2)) {
            Sequential net = smallVgg(b);
            float[] both;
            float[] alone;
            try (Tensor x = b.upload(Shape.of(2, 3, 64, 64), pair)) {
                both = b.download(net.forward(x, false));
            }
            try (Tensor x = b.upload(Shape.of(1, 3, 64, 64), second)) {
                alone = b.download(net.forward(x, false));
            }
            assertArrayEquals(alone, java.util.Arrays.copyOfRange(both, alone.length, both.length));
            net.close();
        }
    }

    /**
     * Batch invariance in every convolution path and schedule, at batch sizes 1 to 9 with odd, even and
     * multiple-of-4 outputs and each padding: the images of a batch give the bits each gives alone,
     * and 1 and 3 threads agree. The tiles of all images are numbered together and cut into blocks,
     * so a block that ends inside an image, or a last partial block, shows here if it is mishandled.
     */
    @Test
    void everyPathIsBatchAndThreadInvariant() {
        WinogradConv.Tuning fused = new WinogradConv.Tuning(Integer.MAX_VALUE, 1 << 22, Integer.MAX_VALUE);
        WinogradConv.Tuning grouped = new WinogradConv.Tuning(0, 1L << 40, 2);
        List<FastCpuBackend[]> configs = new ArrayList<>();
        configs.add(
                new FastCpuBackend[] {new FastCpuBackend(1, (g, s) -> null), new FastCpuBackend(3, (g, s) -> null)});
        for (Winograd v : Winograd.values()) {
            for (WinogradConv.Tuning t : new WinogradConv.Tuning[] {fused, grouped}) {
                configs.add(new FastCpuBackend[] {
                    new FastCpuBackend(1, (g, s) -> v, t), new FastCpuBackend(3, (g, s) -> v, t)
                });
            }
        }
        int c = 17;
        int k = 19;
        try {
            for (int side : new int[] {9, 10, 12}) {
                for (ConvSpec s :
                        new ConvSpec[] {ConvSpec.same(3, 3, 1, 1, side, side), new ConvSpec(3, 3, 1, 1, 1, 0, 1, 0)}) {
                    Shape ws = Shape.of(k, c, 3, 3);
                    float[] w = Data.uniform(ws.size(), 0.3f, side);
                    float[] bias = Data.uniform(k, 0.1f, side + 1);
                    int per = c * side * side;
                    float[] x = Data.uniform(9 * per, 1f, side + 2);
                    int out = k * s.outH(side) * s.outW(side);
                    for (FastCpuBackend[] pair : configs) {
                        float[][] alone = new float[9][];
                        for (int i = 0; i < 9; i++) {
                            alone[i] = Ops.conv(
                                    pair[0],
                                    Shape.of(1, c, side, side),
                                    java.util.Arrays.copyOfRange(x, i * per, (i + 1) * per),
                                    ws,
                                    w,
                                    bias,
                                    s,
                                    true);
                        }
                        for (int n = 1; n <= 9; n++) {
                            float[] xn = java.util.Arrays.copyOf(x, n * per);
                            for (FastCpuBackend b : pair) {
                                float[] y = Ops.conv(b, Shape.of(n, c, side, side), xn, ws, w, bias, s, true);
                                for (int i = 0; i < n; i++) {
                                    assertArrayEquals(
                                            alone[i],
                                            java.util.Arrays.copyOfRange(y, i * out, (i + 1) * out),
                                            b.threads() + " threads, "
                                                    + pair[0].algorithm(
                                                            dev.cxr.engine.backend.ConvGeometry.of(
                                                                    Shape.of(n, c, side, side), ws, s),
                                                            s)
                                                    + ", " + s + ", side " + side + ", batch " + n + ", image " + i);
                                }
                            }
                        }
                    }
                }
            }
        } finally {
            configs.forEach(p -> {
                p[0].close();
                p[1].close();
            });
        }
    }

    private static Sequential smallVgg(Backend b) {
        List<dev.cxr.engine.layers.Layer> layers = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(12);
        int in = 3;
        int[] widths = {16, 32, 48};
        for (int i = 0; i < widths.length; i++) {
            Conv2d a =
                    new Conv2d(b, "c" + i + "a", in, widths[i], 3, 1, Padding.SAME, Activation.RELU).initialize(random);
            Conv2d c = new Conv2d(b, "c" + i + "b", widths[i], widths[i], 3, 1, Padding.SAME, Activation.RELU)
                    .initialize(random);
            layers.add(a);
            layers.add(c);
            layers.add(new MaxPool2d(b, "p" + i, 2, 2));
            in = widths[i];
        }
        return new Sequential("small", layers);
    }

    @Test
    void pooling() {
        Shape xs = Shape.of(2, 5, 30, 30);
        float[] x = Data.uniform(xs.size(), 1f, 13);
        assertSameBits("max pool", b -> {
            try (Tensor tx = b.upload(xs, x);
                    Tensor ty = b.zeros(Shape.of(2, 5, 15, 15))) {
                b.maxPoolForward(tx, ty, PoolSpec.of(2, 2));
                return b.download(ty);
            }
        });
    }
}
