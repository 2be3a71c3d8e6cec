package dev.cxr.engine.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cxr.engine.backend.cpu.ReferenceBackend;
import dev.cxr.engine.tensor.Shape;
import dev.cxr.engine.tensor.Tensor;
import dev.cxr.engine.testing.Compare;
import dev.cxr.engine.testing.Compare.Tolerance;
import dev.cxr.engine.testing.Data;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every op of every backend against the reference backend, the oracle: one test per op, run for each
 * backend in {@link BackendCandidate#all()} (the fast CPU backend in each configuration, the GPU where
 * one is usable). Inputs are seeded random data, never all zeros; outputs start filled with NaN, so an
 * element an op forgets to write shows. Each op sweeps the edges where fast paths split their work:
 * batch sizes 1 to 9, map sides of both parities and multiples of 4, padding on both sides, on the
 * leading sides only (the corner base) and none, block and chunk boundaries, the last partial piece.
 * Each comparison names its tolerance and why it is that size ({@link dev.cxr.engine.testing.Tolerances}).
 */
class BackendOpsTest {
    private static final Backend REF = new ReferenceBackend();
    /** Reference results, computed once per case and shared by every backend. */
    private static final Map<String, float[]> EXPECTED = new ConcurrentHashMap<>();
    private static final int MAX_BATCH = 9;

    static List<BackendCandidate> candidates() {
        return BackendCandidate.all();
    }

    @AfterAll
    static void closeBackends() {
        BackendCandidate.closeAll();
    }

    private static Backend open(BackendCandidate c) {
        String why = c.unavailable();
        assumeTrue(why == null, () -> c.name() + " skipped: " + why);
        return c.backend();
    }

    private static float[] expected(String key, Function<Backend, float[]> op) {
        return EXPECTED.computeIfAbsent(key, k -> op.apply(REF));
    }

    private static float[] nan(int n) {
        float[] f = new float[n];
        Arrays.fill(f, Float.NaN);
        return f;
    }

    // ---- convolution ----

    /** One convolution: input [n, c, h, w], k kernels, the spec, bias and ReLU or not. */
    record Conv(int n, int c, int h, int w, int k, ConvSpec spec, boolean bias, boolean relu) {
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
            return ((((n * 31L + c) * 31 + h) * 31 + w) * 31 + k) * 31 + spec.hashCode();
        }

        float[] input() {
            return Data.uniform(x().size(), 1f, seed());
        }

        float[] weights() {
            return Data.uniform(kernel().size(), (float) Math.sqrt(3.0 / (c * spec.kernelH() * spec.kernelW())), seed() + 1);
        }

        float[] biasValues() {
            return bias ? Data.uniform(k, 0.2f, seed() + 2) : null;
        }

        @Override
        public String toString() {
            return "x" + x() + " w" + kernel() + " " + spec + (bias ? " +bias" : "") + (relu ? " +relu" : "");
        }
    }

    /** TensorFlow's 'same', the corner base's top-and-left-only padding, and none. */
    static List<ConvSpec> paddings3x3(int h, int w) {
        return List.of(ConvSpec.same(3, 3, 1, 1, h, w), new ConvSpec(3, 3, 1, 1, 1, 0, 1, 0), ConvSpec.valid(3, 3, 1, 1));
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

    private static float[] convForward(Backend b, Conv c) {
        try (Tensor x = b.upload(c.x(), c.input()); Tensor w = b.upload(c.kernel(), c.weights());
             Tensor bias = c.bias() ? b.upload(Shape.of(c.k()), c.biasValues()) : null;
             Tensor y = b.upload(c.y(), nan(c.y().size()))) {
            b.conv2dForward(x, w, bias, y, c.spec(), c.relu());
            return b.download(y);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("candidates")
    void convForward(BackendCandidate cand) {
        Backend b = open(cand);
        List<Conv> cases = new ArrayList<>(winogradSweep());
        cases.addAll(otherGeometries());
        for (Conv c : cases) {
            float[] want = expected("conv " + c, r -> convForward(r, c));
            Compare.assertWithin(cand + " conv " + c, want, convForward(b, c), cand.convForward(c.x(), c.kernel(), c.spec()));
        }
    }

    private static final PoolSpec TWO_BY_TWO = new PoolSpec(2, 2, 2, 2);

    private static float[] convMaxPool(Backend b, Conv c, boolean fused) {
        Shape ps = Shape.of(c.n(), c.k(), TWO_BY_TWO.outH(c.y().h()), TWO_BY_TWO.outW(c.y().w()));
        try (Tensor x = b.upload(c.x(), c.input()); Tensor w = b.upload(c.kernel(), c.weights());
             Tensor bias = c.bias() ? b.upload(Shape.of(c.k()), c.biasValues()) : null;
             Tensor p = b.upload(ps, nan(ps.size()))) {
            if (fused) {
                b.conv2dMaxPoolForward(x, w, bias, p, c.spec(), c.relu(), TWO_BY_TWO);
            } else {
                try (Tensor y = b.upload(c.y(), nan(c.y().size()))) {
                    b.conv2dForward(x, w, bias, y, c.spec(), c.relu());
                    b.maxPoolForward(y, p, TWO_BY_TWO);
                }
            }
            return b.download(p);
        }
    }

    /** The fused convolution + 2x2 max pool, where a backend fuses the pair, equals the two ops in turn. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("candidates")
    void convMaxPoolForward(BackendCandidate cand) {
        Backend b = open(cand);
        int fused = 0;
        for (Conv c : winogradSweep()) {
            if (c.y().h() < 2 || !b.fusesConvMaxPool(c.x(), c.kernel(), c.spec(), TWO_BY_TWO)) {
                continue;
            }
            fused++;
            float[] want = expected("conv+pool " + c, r -> convMaxPool(r, c, false));
            Compare.assertWithin(cand + " conv+pool " + c, want, convMaxPool(b, c, true),
                    cand.convForward(c.x(), c.kernel(), c.spec()));
        }
        assumeTrue(fused > 0, cand + " fuses no convolution with a max pool");
    }

    private static float[] convBackwardData(Backend b, Conv c) {
        try (Tensor w = b.upload(c.kernel(), c.weights()); Tensor dy = b.upload(c.y(), Data.uniform(c.y().size(), 1f, c.seed() + 3));
             Tensor dx = b.upload(c.x(), nan(c.x().size()))) {
            b.conv2dBackwardData(dy, w, dx, c.spec());
            return b.download(dx);
        }
    }

    private static float[] convBackwardFilter(Backend b, Conv c) {
        try (Tensor x = b.upload(c.x(), c.input()); Tensor dy = b.upload(c.y(), Data.uniform(c.y().size(), 1f, c.seed() + 3));
             Tensor dw = b.upload(c.kernel(), Data.uniform(c.kernel().size(), 1f, c.seed() + 4))) {
            b.conv2dBackwardFilter(x, dy, dw, c.spec());
            return b.download(dw);
        }
    }

    static List<Conv> backwardSweep() {
        List<Conv> out = new ArrayList<>();
        for (int n = 1; n <= MAX_BATCH; n++) {
            out.add(new Conv(n, 8, 9, 11, 16, ConvSpec.same(3, 3, 1, 1, 9, 11), false, false));
            out.add(new Conv(n, 5, 10, 9, 7, ConvSpec.same(5, 5, 2, 2, 10, 9), false, false));
            out.add(new Conv(n, 9, 10, 10, 12, new ConvSpec(3, 3, 1, 1, 1, 0, 1, 0), false, false));
        }
        out.add(new Conv(1, 40, 6, 7, 9, ConvSpec.valid(1, 1, 1, 1), false, false));
        out.add(new Conv(2, 64, 14, 14, 72, ConvSpec.same(3, 3, 1, 1, 14, 14), false, false));
        out.add(new Conv(1, 3, 32, 32, 64, ConvSpec.same(3, 3, 1, 1, 32, 32), false, false));
        return out;
    }

    /** dx of a convolution (overwritten) and dw (accumulated onto a non-zero start). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("candidates")
    void convBackward(BackendCandidate cand) {
        Backend b = open(cand);
        for (Conv c : backwardSweep()) {
            Compare.assertWithin(cand + " conv backward data " + c, expected("dx " + c, r -> convBackwardData(r, c)),
                    convBackwardData(b, c), cand.convBackward());
            Compare.assertWithin(cand + " conv backward filter " + c, expected("dw " + c, r -> convBackwardFilter(r, c)),
                    convBackwardFilter(b, c), cand.convBackward());
        }
    }

    // ---- pooling ----

    /** Values on a grid of 1/4, so that windows hold ties (the first maximum must win). */
    private static float[] withTies(int n, long seed) {
        float[] v = Data.uniform(n, 3f, seed);
        for (int i = 0; i < v.length; i++) {
            v[i] = Math.round(v[i] * 4) / 4f;
        }
        return v;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("candidates")
    void maxPool(BackendCandidate cand) {
        Backend b = open(cand);
        int[][] sides = {{9, 9}, {10, 10}, {33, 34}, {34, 33}};
        PoolSpec[] specs = {TWO_BY_TWO, new PoolSpec(3, 3, 2, 2), new PoolSpec(2, 2, 1, 1)};
        for (int n = 1; n <= MAX_BATCH; n++) {
            for (int[] hw : sides) {
                for (PoolSpec p : specs) {
                    int c = 3 + n % 2;
                    Shape xs = Shape.of(n, c, hw[0], hw[1]);
                    Shape ys = Shape.of(n, c, p.outH(hw[0]), p.outW(hw[1]));
                    long seed = xs.hashCode() * 31L + p.hashCode();
                    float[] x = withTies(xs.size(), seed);
                    float[] dy = Data.uniform(ys.size(), 1f, seed + 1);
                    String what = "max pool " + xs + " " + p;
                    Function<Backend, float[]> fwd = be -> {
                        try (Tensor tx = be.upload(xs, x); Tensor ty = be.upload(ys, nan(ys.size()))) {
                            be.maxPoolForward(tx, ty, p);
                            return be.download(ty);
                        }
                    };
                    Function<Backend, float[]> bwd = be -> {
                        try (Tensor tx = be.upload(xs, x); Tensor ty = be.upload(ys, expected("fwd " + what, fwd));
                             Tensor tdy = be.upload(ys, dy); Tensor tdx = be.upload(xs, nan(xs.size()))) {
                            be.maxPoolBackward(tx, ty, tdy, tdx, p);
                            return be.download(tdx);
                        }
                    };
                    Compare.assertWithin(cand + " " + what, expected("fwd " + what, fwd), fwd.apply(b), Tolerance.EXACT);
                    Compare.assertWithin(cand + " backward " + what, expected("bwd " + what, bwd), bwd.apply(b), Tolerance.EXACT);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("candidates")
    void averagePool(BackendCandidate cand) {
        Backend b = open(cand);
        // the head's 4x4 pool of the corner (4x4 -> 1x1) and of the full map (7x7 -> 1x1), and overlapping windows
        int[][] cases = {{4, 4, 4, 4}, {7, 7, 4, 4}, {8, 8, 2, 2}, {9, 9, 3, 2}};
        for (int n = 1; n <= MAX_BATCH; n++) {
            for (int[] cs : cases) {
                PoolSpec p = new PoolSpec(cs[2], cs[2], cs[3], cs[3]);
                Shape xs = Shape.of(n, 5, cs[0], cs[1]);
                Shape ys = Shape.of(n, 5, p.outH(cs[0]), p.outW(cs[1]));
                float[] x = Data.uniform(xs.size(), 2f, xs.hashCode());
                float[] dy = Data.uniform(ys.size(), 1f, ys.hashCode());
                String what = "average pool " + xs + " " + p;
                Function<Backend, float[]> fwd = be -> {
                    try (Tensor tx = be.upload(xs, x); Tensor ty = be.upload(ys, nan(ys.size()))) {
                        be.avgPoolForward(tx, ty, p);
                        return be.download(ty);
                    }
                };
                Function<Backend, float[]> bwd = be -> {
                    try (Tensor tdy = be.upload(ys, dy); Tensor tdx = be.upload(xs, nan(xs.size()))) {
                        be.avgPoolBackward(tdy, tdx, p);
                        return be.download(tdx);
                    }
                };
                Compare.assertWithin(cand + " " + what, expected("fwd " + what, fwd), fwd.apply(b), cand.avgPoolForward());
                Compare.assertWithin(cand + " backward " + what, expected("bwd " + what, bwd), bwd.apply(b), Tolerance.EXACT);
            }
        }
    }

    // ---- linear algebra ----

    /**
     * Every transpose, alpha and beta (beta = 0 over a C full of NaN, which must be ignored), at sizes on
     * each side of the GEMM's row panels (8), kernel widths (16, 32, 48), blocks (128 rows, 192 columns)
     * and depth steps (256).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("candidates")
    void gemm(BackendCandidate cand) {
        Backend b = open(cand);
        int[] ms = {1, 7, 9, 129};
        int[] ns = {1, 16, 17, 33, 36, 47, 49, 193};
        int[] ks = {1, 9, 257};
        int combo = 0;
        for (int m : ms) {
            for (int n : ns) {
                for (int k : ks) {
                    boolean ta = combo % 2 == 1;
                    boolean tb = combo / 2 % 2 == 1;
                    boolean accumulate = combo % 3 == 0;
                    combo++;
                    float alpha = accumulate ? 0.75f : 1f;
                    float beta = accumulate ? 0.5f : 0f;
                    long seed = (m * 1000L + n) * 1000 + k;
                    float[] a = Data.uniform(m * k, 1f, seed);
                    float[] bm = Data.uniform(k * n, 1f, seed + 1);
                    float[] c0 = accumulate ? Data.uniform(m * n, 1f, seed + 2) : nan(m * n);
                    String what = "gemm ta=" + ta + " tb=" + tb + " " + m + "x" + n + "x" + k + " alpha=" + alpha + " beta=" + beta;
                    Function<Backend, float[]> op = be -> {
                        try (Tensor t1 = be.upload(Shape.of(a.length), a); Tensor t2 = be.upload(Shape.of(bm.length), bm);
                             Tensor t3 = be.upload(Shape.of(c0.length), c0)) {
                            be.gemm(ta, tb, m, n, k, alpha, t1, t2, beta, t3);
                            return be.download(t3);
                        }
                    };
                    Compare.assertWithin(cand + " " + what, expected(what, op), op.apply(b), cand.gemm());
                }
            }
        }
    }

    // ---- elementwise, activations, losses, optimizer ----

    /** Sizes around the SIMD widths (4, 8, 16 floats) and the CPU backend's chunks (65,536 floats). */
    private static final int[] SIZES = {1, 3, 4, 7, 8, 15, 16, 17, 33, 65_535, 65_536, 65_537, 3 * 65_536 + 19};

    @ParameterizedTest(name = "{0}")
    @MethodSource("candidates")
    void elementwise(BackendCandidate cand) {
        Backend b = open(cand);
        for (int size : SIZES) {
            Shape s = Shape.of(size);
            float[] u = Data.uniform(size, 2f, size);
            float[] v = Data.uniform(size, 2f, size + 1L);
            // relu sees exact zeros and negative zeros too
            for (int i = 0; i < size; i += 5) {
                u[i] = i % 10 == 0 ? 0f : -0f;
            }
            check(cand, "add " + size, be -> {
                try (Tensor x = be.upload(s, u); Tensor y = be.upload(s, v)) {
                    be.add(x, y);
                    return be.download(y);
                }
            }, b);
            check(cand, "mul " + size, be -> {
                try (Tensor x = be.upload(s, u); Tensor y = be.upload(s, v); Tensor z = be.upload(s, nan(size))) {
                    be.mul(x, y, z);
                    be.mul(z, y, y);
                    float[] r = be.download(z);
                    float[] r2 = be.download(y);
                    float[] both = Arrays.copyOf(r, 2 * size);
                    System.arraycopy(r2, 0, both, size, size);
                    return both;
                }
            }, b);
            check(cand, "relu " + size, be -> {
                try (Tensor x = be.upload(s, u); Tensor y = be.upload(s, nan(size)); Tensor dx = be.upload(s, nan(size));
                     Tensor dy = be.upload(s, v)) {
                    be.reluForward(x, y);
                    be.reluBackward(y, dy, dx);
                    float[] both = Arrays.copyOf(be.download(y), 2 * size);
                    System.arraycopy(be.download(dx), 0, both, size, size);
                    return both;
                }
            }, b);
            check(cand, "copy and fill " + size, be -> {
                try (Tensor x = be.upload(s, u); Tensor y = be.upload(s, nan(size))) {
                    be.copy(x, y);
                    float[] copied = be.download(y);
                    be.fill(y, -1.5f);
                    float[] both = Arrays.copyOf(copied, 2 * size);
                    System.arraycopy(be.download(y), 0, both, size, size);
                    return both;
                }
            }, b);
        }
    }

    private static void check(BackendCandidate cand, String what, Function<Backend, float[]> op, Backend b) {
        Compare.assertWithin(cand + " " + what, expected(what, op), op.apply(b), Tolerance.EXACT);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("candidates")
    void bias(BackendCandidate cand) {
        Backend b = open(cand);
        List<Shape> shapes = new ArrayList<>();
        for (int n = 1; n <= MAX_BATCH; n++) {
            shapes.add(Shape.of(n, 7, 5, 3));
            shapes.add(Shape.of(n, 64));
        }
        shapes.add(Shape.of(2, 3, 200, 200));
        for (Shape s : shapes) {
            float[] y0 = Data.uniform(s.size(), 1f, s.hashCode());
            float[] bias = Data.uniform(s.c(), 1f, s.hashCode() + 1L);
            float[] db0 = Data.uniform(s.c(), 1f, s.hashCode() + 2L);
            String add = "bias add " + s;
            Function<Backend, float[]> fwd = be -> {
                try (Tensor y = be.upload(s, y0); Tensor tb = be.upload(Shape.of(s.c()), bias)) {
                    be.biasAdd(y, tb);
                    return be.download(y);
                }
            };
            Function<Backend, float[]> bwd = be -> {
                try (Tensor dy = be.upload(s, y0); Tensor db = be.upload(Shape.of(s.c()), db0)) {
                    be.biasBackward(dy, db);
                    return be.download(db);
                }
            };
            Compare.assertWithin(cand + " " + add, expected(add, fwd), fwd.apply(b), Tolerance.EXACT);
            Compare.assertWithin(cand + " bias gradient " + s, expected("db " + s, bwd), bwd.apply(b), cand.biasBackward());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("candidates")
    void softmaxAndLosses(BackendCandidate cand) {
        Backend b = open(cand);
        for (int n = 1; n <= MAX_BATCH; n++) {
            for (int f : new int[] {2, 7}) {
                Shape s = Shape.of(n, f);
                float[] logits = Data.uniform(s.size(), 6f, n * 10L + f);
                float[] dy = Data.uniform(s.size(), 1f, n * 10L + f + 5);
                float[] target = new float[s.size()];
                for (int i = 0; i < n; i++) {
                    target[i * f + (i * 3) % f] = 1f;
                }
                // a saturated probability, so the clip at eps is reached
                logits[0] = 60f;
                String what = "softmax " + s;
                Function<Backend, float[]> soft = be -> {
                    try (Tensor x = be.upload(s, logits); Tensor y = be.upload(s, nan(s.size()));
                         Tensor tdy = be.upload(s, dy); Tensor dx = be.upload(s, nan(s.size()))) {
                        be.softmaxForward(x, y);
                        be.softmaxBackward(y, tdy, dx);
                        float[] both = Arrays.copyOf(be.download(y), 2 * s.size());
                        System.arraycopy(be.download(dx), 0, both, s.size(), s.size());
                        return both;
                    }
                };
                Compare.assertWithin(cand + " " + what, expected(what, soft), soft.apply(b), cand.softmax());
                float[] p = Arrays.copyOf(expected(what, soft), s.size());
                for (boolean binary : new boolean[] {true, false}) {
                    String loss = (binary ? "binary" : "categorical") + " cross-entropy " + s;
                    Function<Backend, float[]> op = be -> {
                        try (Tensor tp = be.upload(s, p); Tensor tt = be.upload(s, target); Tensor dp = be.upload(s, nan(s.size()))) {
                            float l = binary ? be.binaryCrossEntropy(tp, tt, dp, 1e-7f) : be.categoricalCrossEntropy(tp, tt, dp, 1e-7f);
                            float[] out = Arrays.copyOf(be.download(dp), s.size() + 1);
                            out[s.size()] = l;
                            return out;
                        }
                    };
                    float[] want = expected(loss, op);
                    float[] got = op.apply(b);
                    Compare.assertWithin(cand + " " + loss + " gradient", Arrays.copyOf(want, s.size()), Arrays.copyOf(got, s.size()),
                            Tolerance.EXACT);
                    assertEquals(want[s.size()], got[s.size()], Math.abs(want[s.size()]) * (cand.cuda() ? 1e-6 : 0),
                            cand + " " + loss + " value");
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("candidates")
    void adam(BackendCandidate cand) {
        Backend b = open(cand);
        for (int size : SIZES) {
            Shape s = Shape.of(size);
            String what = "adam " + size;
            Function<Backend, float[]> op = be -> {
                try (Tensor w = be.upload(s, Data.uniform(size, 1f, size)); Tensor m = be.zeros(s); Tensor v = be.zeros(s);
                     Tensor g = be.zeros(s)) {
                    for (int step = 1; step <= 3; step++) {
                        try (Tensor fresh = be.upload(s, Data.uniform(size, 0.1f, size + step))) {
                            be.copy(fresh, g);
                        }
                        float alpha = (float) (1e-3 * Math.sqrt(1 - Math.pow(0.999, step)) / (1 - Math.pow(0.9, step)));
                        be.adamStep(w, g, m, v, alpha, 0.9f, 0.999f, 1e-7f);
                    }
                    float[] out = new float[3 * size];
                    System.arraycopy(be.download(w), 0, out, 0, size);
                    System.arraycopy(be.download(m), 0, out, size, size);
                    System.arraycopy(be.download(v), 0, out, 2 * size, size);
                    return out;
                }
            };
            check(cand, what, op, b);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("candidates")
    void theSweepsAreNotAllZero(BackendCandidate cand) {
        open(cand);
        // a guard on the harness itself: its convolutions must produce values, not ReLU's zeros
        Conv c = winogradSweep().get(0);
        float[] want = expected("conv " + c, r -> convForward(r, c));
        assertTrue(Arrays.stream(toDouble(want)).filter(x -> x != 0).count() > want.length / 3, "most outputs are non-zero");
    }

    private static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }
}
