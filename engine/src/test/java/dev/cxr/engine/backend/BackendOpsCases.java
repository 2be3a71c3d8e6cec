package dev.cxr.engine.backend;

import dev.cxr.engine.tensor.Shape;
import dev.cxr.engine.testing.Data;
import dev.cxr.engine.testing.Ops;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The shapes and data {@link BackendOpsTest} runs every backend on, each sweep with the edges it is
 * there for. Data are seeded per case, never all zeros.
 */
final class BackendOpsCases {
    private BackendOpsCases() {}

    /** Batch sizes go from 1 to this: every split of a batch over 1 to 3 threads, odd and even. */
    static final int MAX_BATCH = 9;

    /** Large inputs, made once and shared by every candidate (callers must not write into them). */
    private static final Map<String, float[]> LARGE = new ConcurrentHashMap<>();

    static float[] once(String key, Supplier<float[]> make) {
        return LARGE.computeIfAbsent(key, k -> make.get());
    }

    /**
     * One convolution: input [n, c, h, w], k kernels, the spec, bias and ReLU or not. With
     * {@code grid}, inputs and weights lie on coarse grids (multiples of 1/4 and 1/8), so that pooling
     * windows of the output often hold equal maxima.
     */
    record Conv(int n, int c, int h, int w, int k, ConvSpec spec, boolean bias, boolean relu, boolean grid) {
        Conv(int n, int c, int h, int w, int k, ConvSpec spec, boolean bias, boolean relu) {
            this(n, c, h, w, k, spec, bias, relu, false);
        }

        Shape x() {
            return Shape.of(n, c, h, w);
        }

        Shape kernel() {
            return Shape.of(k, c, spec.kernelH(), spec.kernelW());
        }

        Shape y() {
            return Shape.of(n, k, spec.outH(h), spec.outW(w));
        }

        long seed() {
            return ((((n * 31L + c) * 31 + h) * 31 + w) * 31 + k) * 31 + spec.hashCode() + (grid ? 7 : 0);
        }

        float[] input() {
            float[] x = Data.uniform(x().size(), 1f, seed());
            return grid ? onGrid(x, 4) : x;
        }

        float[] weights() {
            if (grid) {
                return onGrid(Data.uniform(kernel().size(), 0.5f, seed() + 1), 8);
            }
            return Data.uniform(
                    kernel().size(), (float) Math.sqrt(3.0 / (c * spec.kernelH() * spec.kernelW())), seed() + 1);
        }

        float[] biasValues() {
            return bias ? Data.uniform(k, grid ? 0.1f : 0.2f, seed() + 2) : null;
        }

        float[] dy() {
            return Data.uniform(y().size(), 1f, seed() + 3);
        }

        /** The filter gradient's start: the op accumulates, so it starts non-zero. */
        float[] dw0() {
            return Data.uniform(kernel().size(), 1f, seed() + 4);
        }

        @Override
        public String toString() {
            return "x" + x() + " w" + kernel() + " " + spec + (bias ? " +bias" : "") + (relu ? " +relu" : "")
                    + (grid ? " grid" : "");
        }
    }

    /** Values rounded to multiples of 1/{@code steps}. */
    static float[] onGrid(float[] v, int steps) {
        for (int i = 0; i < v.length; i++) {
            v[i] = Math.round(v[i] * steps) / (float) steps;
        }
        return v;
    }

    /** The corner base's padding: top and left as 'same' pads them, nothing after. */
    static ConvSpec leading3x3() {
        return new ConvSpec(3, 3, 1, 1, 1, 0, 1, 0);
    }

    /** TensorFlow's 'same', the corner base's top-and-left-only padding, and none. */
    static List<ConvSpec> paddings3x3(int h, int w) {
        return List.of(ConvSpec.same(3, 3, 1, 1, h, w), leading3x3(), ConvSpec.valid(3, 3, 1, 1));
    }

    /**
     * 3x3 stride-1 convolutions (the Winograd candidates) at batch 1..9, on maps whose outputs have odd
     * sides, even sides, sides that are multiples of 4 and mixed sides, with each padding. The
     * channels (16 to 18 in, 17 to 20 out) are not multiples of the GEMM's 8 rows and pass the default
     * policy's bar for Winograd.
     */
    static List<Conv> winogradSweep() {
        int[][] sides = {{9, 9}, {10, 10}, {12, 12}, {11, 14}};
        List<Conv> out = new ArrayList<>();
        for (int n = 1; n <= MAX_BATCH; n++) {
            for (int[] hw : sides) {
                for (ConvSpec s : paddings3x3(hw[0], hw[1])) {
                    out.add(new Conv(n, 16 + n % 3, hw[0], hw[1], 17 + n % 4, s, (n + hw[0]) % 2 == 0, n % 3 != 0));
                }
            }
        }
        return out;
    }

    /**
     * Where Winograd's tiles and blocks split differently from the sweep: few channels (forced
     * configurations take Winograd for them; the default policy does not), 'valid' padding on odd
     * sides, an arbitrary asymmetric padding, rows wider than 16 tiles with blocks that start mid-row,
     * and kernels too large for the fused schedule (the grouped one).
     */
    static List<Conv> winogradEdges() {
        return List.of(
                new Conv(2, 5, 9, 11, 7, ConvSpec.same(3, 3, 1, 1, 9, 11), true, true),
                new Conv(1, 3, 17, 13, 10, ConvSpec.valid(3, 3, 1, 1), false, false),
                new Conv(1, 4, 12, 10, 9, new ConvSpec(3, 3, 1, 1, 2, 0, 0, 1), true, false),
                new Conv(2, 24, 70, 37, 40, ConvSpec.same(3, 3, 1, 1, 70, 37), true, true),
                new Conv(2, 192, 14, 14, 200, ConvSpec.same(3, 3, 1, 1, 14, 14), true, true));
    }

    /** Convolutions only im2col GEMM computes: strides, even and 1x1 or 5x5 kernels, 3 input channels. */
    static List<Conv> otherGeometries() {
        List<Conv> out = new ArrayList<>();
        for (int n = 1; n <= MAX_BATCH; n++) {
            out.add(new Conv(n, 5, 9, 11, 7, ConvSpec.same(3, 3, 2, 2, 9, 11), true, true));
            out.add(new Conv(n, 3, 15, 15, 64, ConvSpec.same(3, 3, 1, 1, 15, 15), true, true));
        }
        for (int n : new int[] {1, 4, 5}) {
            out.add(new Conv(n, 5, 9, 11, 7, ConvSpec.same(4, 4, 2, 1, 9, 11), true, false));
            out.add(new Conv(n, 300, 5, 6, 9, ConvSpec.valid(1, 1, 1, 1), false, false));
            out.add(new Conv(n, 3, 17, 13, 10, ConvSpec.valid(5, 5, 1, 1), true, true));
        }
        return out;
    }

    /**
     * Small shapes that reach the GPU's edge cases, each with bias and ReLU, bias alone and ReLU alone:
     * sizes that are no multiple of the kernels' tiles, strides, and 'same' paddings that come out
     * asymmetric (pad 0 before, 1 after: cuDNN pads symmetrically only, so the backend pads a copy).
     */
    static List<Conv> smallGeometries() {
        List<Conv> shapes = List.of(
                new Conv(2, 3, 7, 6, 4, ConvSpec.same(3, 3, 1, 1, 7, 6), true, true),
                new Conv(2, 3, 9, 8, 5, ConvSpec.valid(3, 3, 2, 2), true, true),
                new Conv(2, 3, 5, 6, 4, ConvSpec.same(2, 2, 1, 1, 5, 6), true, true),
                new Conv(2, 2, 8, 8, 3, ConvSpec.same(3, 3, 2, 2, 8, 8), true, true),
                new Conv(3, 16, 4, 5, 8, ConvSpec.valid(1, 1, 1, 1), true, true),
                new Conv(2, 16, 10, 10, 8, ConvSpec.same(3, 3, 1, 1, 10, 10), true, true));
        List<Conv> out = new ArrayList<>();
        for (Conv c : shapes) {
            out.add(c);
            out.add(new Conv(c.n(), c.c(), c.h(), c.w(), c.k(), c.spec(), true, false));
            out.add(new Conv(c.n(), c.c(), c.h(), c.w(), c.k(), c.spec(), false, true));
        }
        return out;
    }

    /** dx and dw: batch 1..9 on three geometries (one with LEADING padding), the GPU's small shapes, and a few larger ones. */
    static List<Conv> backwardSweep() {
        List<Conv> out = new ArrayList<>();
        for (int n = 1; n <= MAX_BATCH; n++) {
            out.add(new Conv(n, 8, 9, 11, 16, ConvSpec.same(3, 3, 1, 1, 9, 11), false, false));
            out.add(new Conv(n, 5, 10, 9, 7, ConvSpec.same(5, 5, 2, 2, 10, 9), false, false));
            out.add(new Conv(n, 9, 10, 10, 12, leading3x3(), false, false));
        }
        for (Conv c : smallGeometries()) {
            if (c.bias() && c.relu()) {
                out.add(new Conv(c.n(), c.c(), c.h(), c.w(), c.k(), c.spec(), false, false));
            }
        }
        out.add(new Conv(1, 40, 6, 7, 9, ConvSpec.valid(1, 1, 1, 1), false, false));
        out.add(new Conv(2, 64, 14, 14, 64, ConvSpec.same(3, 3, 1, 1, 14, 14), false, false));
        out.add(new Conv(2, 64, 14, 14, 72, ConvSpec.same(3, 3, 1, 1, 14, 14), false, false));
        out.add(new Conv(1, 3, 32, 32, 64, ConvSpec.same(3, 3, 1, 1, 32, 32), false, false));
        return out;
    }

    /**
     * Convolutions followed by a 2x2 max pool that a backend may fuse, on tie-rich data, with ReLU and
     * without: VGG16's pooled layers narrowed (block 3 at 56, batch 1 and with ReLU only, block 4 at 28, block 5 at 14), odd sides
     * whose last row and column belong to no window, the corner base's LEADING maps (sides 107 and 23),
     * and 'valid' padding. The sweep's shapes run too, on plain data.
     */
    static List<Conv> fusionCases() {
        List<Conv> out = new ArrayList<>();
        out.add(new Conv(1, 128, 56, 56, 32, ConvSpec.same(3, 3, 1, 1, 56, 56), true, true, true));
        int[][] shapes = {
            {2, 32, 28, 28, 48}, {2, 64, 14, 14, 40}, {2, 16, 30, 22, 20}, {2, 16, 13, 17, 16}, {1, 16, 11, 9, 24}
        };
        for (boolean relu : new boolean[] {true, false}) {
            for (int[] s : shapes) {
                out.add(new Conv(
                        s[0], s[1], s[2], s[3], s[4], ConvSpec.same(3, 3, 1, 1, s[2], s[3]), true, relu, true));
            }
            out.add(new Conv(1, 16, 107, 107, 16, leading3x3(), true, relu, true));
            out.add(new Conv(2, 32, 23, 23, 16, leading3x3(), true, relu, true));
            out.add(new Conv(1, 16, 20, 26, 16, ConvSpec.valid(3, 3, 1, 1), true, relu, true));
        }
        out.addAll(winogradSweep());
        return out;
    }

    /**
     * One of VGG16's 13 convolutions at its real shape, batch 1, 3x3 'same' with bias and ReLU, on
     * non-negative inputs (activations after ReLU) and Glorot-sized weights; {@code pooled} where a
     * 2x2 max pool follows it. The reference computes 16 of its output channels, spread over the
     * range ({@link #picked}): all of them would take minutes.
     */
    record Vgg16Layer(int index, int c, int k, int side, boolean pooled) {
        static final int SLICE = 16;

        /** In network order: input channels, output channels, side, pooled after. */
        static final List<Vgg16Layer> ALL = List.of(
                new Vgg16Layer(1, 3, 64, 224, false),
                new Vgg16Layer(2, 64, 64, 224, true),
                new Vgg16Layer(3, 64, 128, 112, false),
                new Vgg16Layer(4, 128, 128, 112, true),
                new Vgg16Layer(5, 128, 256, 56, false),
                new Vgg16Layer(6, 256, 256, 56, false),
                new Vgg16Layer(7, 256, 256, 56, true),
                new Vgg16Layer(8, 256, 512, 28, false),
                new Vgg16Layer(9, 512, 512, 28, false),
                new Vgg16Layer(10, 512, 512, 28, true),
                new Vgg16Layer(11, 512, 512, 14, false),
                new Vgg16Layer(12, 512, 512, 14, false),
                new Vgg16Layer(13, 512, 512, 14, true));

        ConvSpec spec() {
            return ConvSpec.same(3, 3, 1, 1, side, side);
        }

        Shape x() {
            return Shape.of(1, c, side, side);
        }

        Shape kernel(int kernels) {
            return Shape.of(kernels, c, 3, 3);
        }

        float[] input() {
            return once(this + " x", () -> {
                float[] x = Data.uniform(x().size(), 0.5f, 100 + index);
                for (int j = 0; j < x.length; j++) {
                    x[j] += 0.5f;
                }
                return x;
            });
        }

        float[] weights() {
            return once(
                    this + " w", () -> Data.uniform(k * c * 9, (float) Math.sqrt(6.0 / (9 * (c + k))), 200 + index));
        }

        float[] bias() {
            return once(this + " b", () -> Data.uniform(k, 0.05f, 300 + index));
        }

        /** The output channels the reference computes: spread over [0, k), the last one included. */
        int[] picked() {
            int[] p = new int[SLICE];
            for (int j = 0; j < SLICE; j++) {
                p[j] = j == SLICE - 1 ? k - 1 : j * (k / SLICE) + j % 3;
            }
            return p;
        }

        float[] sliceWeights() {
            return slice(weights(), c * 9);
        }

        float[] sliceBias() {
            return slice(bias(), 1);
        }

        /** The picked channels' blocks of {@code per} values each, from all k of them. */
        float[] slice(float[] all, int per) {
            int[] p = picked();
            float[] out = new float[SLICE * per];
            for (int j = 0; j < SLICE; j++) {
                System.arraycopy(all, p[j] * per, out, j * per, per);
            }
            return out;
        }

        @Override
        public String toString() {
            return "VGG16 conv " + index + " (" + c + "->" + k + " at " + side + ")";
        }
    }

    /** Max and average pooling specs: VGG16's 2x2, overlapping 3x3/2, 4x4 (the head's), stride 1, and a non-square window. */
    static final List<PoolSpec> POOLS = List.of(
            PoolSpec.of(2, 2),
            new PoolSpec(3, 3, 2, 2),
            PoolSpec.of(4, 4),
            new PoolSpec(2, 2, 1, 1),
            new PoolSpec(2, 3, 1, 2));

    /** Map sides for pooling: odd (windows that floor), even, unequal, and one that crosses 32. */
    static final int[][] POOL_SIDES = {{7, 7}, {9, 9}, {10, 10}, {12, 10}, {33, 34}};

    /**
     * Values on a grid of 1/4, so that windows hold ties (the first maximum must win), with every
     * other zero made negative (a tie of 0 and -0, where the first must win too).
     */
    static float[] withTies(int n, long seed) {
        float[] v = onGrid(Data.uniform(n, 3f, seed), 4);
        boolean negative = false;
        for (int i = 0; i < v.length; i++) {
            if (v[i] == 0f) {
                v[i] = negative ? -0f : 0f;
                negative = !negative;
            }
        }
        return v;
    }

    /**
     * GEMM shapes beyond the sweep, each in every transpose: the head's dense layers at batch 8 (forward
     * and both backward products), the GPU's tiles (37x19x53, 8x2x64, 1x1x1) and odd sizes (37x53x300,
     * 9x100x5). {m, n, k}.
     */
    static final int[][] GEMM_SHAPES = {
        {8, 64, 512}, {512, 64, 8}, {8, 512, 64}, {37, 19, 53}, {8, 2, 64}, {1, 1, 1}, {37, 53, 300}, {9, 100, 5},
    };

    /** One GEMM: C = alpha op(A) op(B) + beta C, from seeded A, B and C (NaN where beta = 0, which must ignore C). */
    record Gemm(boolean ta, boolean tb, int m, int n, int k, float alpha, float beta) {
        float[] run(Backend b) {
            long seed = ((m * 1000L + n) * 1000 + k) * 4 + (ta ? 2 : 0) + (tb ? 1 : 0);
            float[] c0 = beta == 0f ? Ops.sentinel(m * n) : Data.uniform(m * n, 1f, seed + 2);
            return Ops.gemm(
                    b,
                    ta,
                    tb,
                    m,
                    n,
                    k,
                    alpha,
                    Data.uniform(m * k, 1f, seed),
                    Data.uniform(k * n, 1f, seed + 1),
                    beta,
                    c0);
        }

        @Override
        public String toString() {
            return "gemm ta=" + ta + " tb=" + tb + " " + m + "x" + n + "x" + k + " alpha=" + alpha + " beta=" + beta;
        }
    }

    /**
     * Every transpose, alpha and beta (beta = 0 over a C full of NaN, which must be ignored), at sizes on
     * each side of the GEMM's row panels (8), kernel widths (16, 32, 48), blocks (128 rows, 192 columns)
     * and depth steps (256); then {@link #GEMM_SHAPES} in every transpose, accumulating (beta 1 and 0.3)
     * and not (beta 0); 130x200x600, across every block boundary twice, once accumulating and once
     * transposed over NaN; and an empty depth (k = 0) with beta 0, 0.5 and 1.
     */
    static List<Gemm> gemmCases() {
        List<Gemm> cases = new ArrayList<>();
        int combo = 0;
        for (int m : new int[] {1, 7, 9, 129}) {
            for (int n : new int[] {1, 16, 17, 33, 36, 47, 49, 193}) {
                for (int k : new int[] {1, 9, 257}) {
                    boolean accumulate = combo % 3 == 0;
                    cases.add(new Gemm(
                            combo % 2 == 1,
                            combo / 2 % 2 == 1,
                            m,
                            n,
                            k,
                            accumulate ? 0.75f : 1f,
                            accumulate ? 0.5f : 0f));
                    combo++;
                }
            }
        }
        for (int[] mnk : GEMM_SHAPES) {
            for (int t = 0; t < 4; t++) {
                boolean ta = t / 2 == 1;
                boolean tb = t % 2 == 1;
                cases.add(new Gemm(ta, tb, mnk[0], mnk[1], mnk[2], 0.5f, 1f));
                cases.add(new Gemm(ta, tb, mnk[0], mnk[1], mnk[2], t == 3 ? -0.5f : 1f, 0f));
                cases.add(new Gemm(ta, tb, mnk[0], mnk[1], mnk[2], 0.7f, 0.3f));
            }
        }
        cases.add(new Gemm(false, false, 130, 200, 600, 1f, 1f));
        cases.add(new Gemm(true, true, 130, 200, 600, -0.5f, 0f));
        for (float beta : new float[] {0f, 0.5f, 1f}) {
            cases.add(new Gemm(false, false, 3, 4, 0, 1f, beta));
        }
        return cases;
    }

    /** Sizes around the SIMD widths (4, 8, 16 floats) and the CPU backend's chunks (65,536 floats). */
    static final int[] SIZES = {1, 3, 4, 7, 8, 15, 16, 17, 33, 65_535, 65_536, 65_537, 3 * 65_536 + 19};
}
