package dev.cxr.engine.backend;

import static dev.cxr.engine.backend.BackendOpsCases.MAX_BATCH;
import static dev.cxr.engine.backend.BackendOpsCases.POOLS;
import static dev.cxr.engine.backend.BackendOpsCases.POOL_SIDES;
import static dev.cxr.engine.backend.BackendOpsCases.SIZES;
import static dev.cxr.engine.backend.BackendOpsCases.withTies;
import static dev.cxr.engine.testing.Ops.concat;
import static dev.cxr.engine.testing.Ops.sentinel;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cxr.engine.backend.BackendOpsCases.Conv;
import dev.cxr.engine.backend.BackendOpsCases.Gemm;
import dev.cxr.engine.backend.BackendOpsCases.Vgg16Layer;
import dev.cxr.engine.backend.cpu.ReferenceBackend;
import dev.cxr.engine.tensor.Shape;
import dev.cxr.engine.tensor.Tensor;
import dev.cxr.engine.testing.Compare;
import dev.cxr.engine.testing.Compare.Tolerance;
import dev.cxr.engine.testing.Data;
import dev.cxr.engine.testing.Ops;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every op of every backend against the reference backend, the oracle: one test per op, run for each
 * backend in {@link BackendCandidate#all()} (the fast CPU backend in each configuration, the
 * plain-loop CPU backend, the GPU where one is usable). Inputs are seeded random data, never all
 * zeros; outputs start filled with NaN, so an element an op forgets to write shows. Each op sweeps
 * the edges where fast paths split their work ({@link BackendOpsCases}): batch sizes 1 to 9, map sides
 * of both parities and multiples of 4, padding on both sides, on the leading sides only (the corner
 * base) and none, block and chunk boundaries, the last partial piece, ties; and VGG16's real shapes.
 * Each comparison names its tolerance and why it is that size ({@link dev.cxr.engine.testing.Tolerances}).
 * Reference results are computed once per case and shared by every backend.
 */
class BackendOpsTest {
    private static final Backend REF = new ReferenceBackend();
    private static final Map<String, float[]> EXPECTED = new ConcurrentHashMap<>();
    private static final PoolSpec TWO_BY_TWO = PoolSpec.of(2, 2);

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

    /** Computes the reference results of independent cases side by side, ahead of the loop that reads them. */
    private static <T> void expectAll(List<T> cases, Function<T, String> key, BiFunction<Backend, T, float[]> op) {
        cases.parallelStream().forEach(c -> expected(key.apply(c), r -> op.apply(r, c)));
    }

    /** Runs {@code op} on the reference (once per key) and on the candidate, and compares within {@code tol}. */
    private static void check(
            BackendCandidate cand, Backend b, String what, Function<Backend, float[]> op, Tolerance tol) {
        compare(cand, what, expected(what, op), op.apply(b), tol);
    }

    private static void compare(BackendCandidate cand, String what, float[] want, float[] got, Tolerance tol) {
        cand.record(tol, Compare.assertWithin(cand + " " + what, want, got, tol));
    }

    // ---- convolution ----

    private static float[] convForward(Backend b, Conv c) {
        return Ops.conv(b, c.x(), c.input(), c.kernel(), c.weights(), c.biasValues(), c.spec(), c.relu());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("candidates")
    void convForward(BackendCandidate cand) {
        Backend b = open(cand);
        List<Conv> cases = new ArrayList<>(BackendOpsCases.winogradSweep());
        cases.addAll(BackendOpsCases.winogradEdges());
        cases.addAll(BackendOpsCases.otherGeometries());
        cases.addAll(BackendOpsCases.smallGeometries());
        expectAll(cases, c -> "conv " + c, BackendOpsTest::convForward);
        for (Conv c : cases) {
            check(cand, b, "conv " + c, be -> convForward(be, c), cand.convForward(c.x(), c.kernel(), c.spec()));
        }
    }

    /**
     * VGG16's 13 convolutions at their real shapes, batch 1 ({@link Vgg16Layer}): the candidate computes
     * every output channel and the 16 the reference computed are compared (the plain loops compute the
     * 16 alone: {@link BackendCandidate#runsVgg16Slices}). For the five layers a pool follows, the fused
     * convolution + pool too, where the candidate fuses the pair: bit for bit against its own
     * convolution then pool, and against the reference's pooled slice.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("candidates")
    void vgg16Convolutions(BackendCandidate cand) {
        Backend b = open(cand);
        // the reference's slices are the costly part
        Vgg16Layer.ALL.parallelStream().forEach(BackendOpsTest::vgg16Reference);
        for (Vgg16Layer l : Vgg16Layer.ALL) {
            Shape slice = l.kernel(Vgg16Layer.SLICE);
            Shape all = l.kernel(l.k());
            float[] x = l.input();
            float[] want = vgg16Reference(l);
            Tolerance tol = cand.convForward(l.x(), all, l.spec());
            if (cand.runsVgg16Slices()) {
                compare(
                        cand,
                        l.toString(),
                        want,
                        Ops.conv(b, l.x(), x, slice, l.sliceWeights(), l.sliceBias(), l.spec(), true),
                        tol);
                continue;
            }
            float[] y = Ops.conv(b, l.x(), x, all, l.weights(), l.bias(), l.spec(), true);
            int plane = l.side() * l.side();
            compare(cand, l.toString(), want, l.slice(y, plane), tol);
            if (l.pooled() && b.fusesConvMaxPool(l.x(), all, l.spec(), TWO_BY_TWO)) {
                Shape ys = Shape.of(1, l.k(), l.side(), l.side());
                float[] fused = Ops.convMaxPool(b, l.x(), x, all, l.weights(), l.bias(), l.spec(), true, TWO_BY_TWO);
                Compare.assertBitExact(cand + " fused pool after " + l, Ops.maxPool(b, ys, y, TWO_BY_TWO), fused);
                float[] pooledSlice = expected(
                        "pooled " + l,
                        r -> Ops.maxPool(r, Shape.of(1, Vgg16Layer.SLICE, l.side(), l.side()), want, TWO_BY_TWO));
                compare(cand, "fused pool after " + l, pooledSlice, l.slice(fused, plane / 4), tol);
            }
        }
    }

    private static float[] vgg16Reference(Vgg16Layer l) {
        return expected(
                l.toString(),
                r -> Ops.conv(
                        r,
                        l.x(),
                        l.input(),
                        l.kernel(Vgg16Layer.SLICE),
                        l.sliceWeights(),
                        l.sliceBias(),
                        l.spec(),
                        true));
    }

    private static float[] convThenPool(Backend b, Conv c) {
        return Ops.maxPool(b, c.y(), convForward(b, c), TWO_BY_TWO);
    }

    /** The reference's convolution then pool, from its convolution where another test computed that already. */
    private static float[] convThenPoolExpected(Conv c) {
        float[] conv = expected("conv " + c, r -> convForward(r, c));
        return expected("conv+pool " + c, r -> Ops.maxPool(r, c.y(), conv, TWO_BY_TWO));
    }

    /**
     * The fused convolution + 2x2 max pool, where a backend fuses the pair, equals its own two ops in
     * turn bit for bit (the same tile values, each window's maximum taken in the same order with the
     * same tie rule), and the reference's two ops within the convolution's tolerance.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("candidates")
    void convMaxPoolForward(BackendCandidate cand) {
        Backend b = open(cand);
        List<Conv> cases = BackendOpsCases.fusionCases().stream()
                .filter(c -> c.y().h() >= 2 && b.fusesConvMaxPool(c.x(), c.kernel(), c.spec(), TWO_BY_TWO))
                .toList();
        assumeTrue(!cases.isEmpty(), cand + " fuses no convolution with a max pool");
        cases.parallelStream().forEach(BackendOpsTest::convThenPoolExpected);
        for (Conv c : cases) {
            float[] got = Ops.convMaxPool(
                    b, c.x(), c.input(), c.kernel(), c.weights(), c.biasValues(), c.spec(), c.relu(), TWO_BY_TWO);
            Compare.assertBitExact(cand + " fused against its own conv then pool " + c, convThenPool(b, c), got);
            compare(
                    cand,
                    "conv+pool " + c,
                    convThenPoolExpected(c),
                    got,
                    cand.convForward(c.x(), c.kernel(), c.spec()));
        }
    }

    private static float[] convBackwardData(Backend b, Conv c) {
        return Ops.convBackwardData(b, c.x(), c.kernel(), c.weights(), c.dy(), c.spec());
    }

    private static float[] convBackwardFilter(Backend b, Conv c) {
        return Ops.convBackwardFilter(b, c.x(), c.input(), c.kernel(), c.dw0(), c.dy(), c.spec());
    }

    /** dx of a convolution (overwritten) and dw (accumulated onto a non-zero start). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("candidates")
    void convBackward(BackendCandidate cand) {
        Backend b = open(cand);
        List<Conv> cases = BackendOpsCases.backwardSweep();
        expectAll(cases, c -> "conv backward data " + c, BackendOpsTest::convBackwardData);
        expectAll(cases, c -> "conv backward filter " + c, BackendOpsTest::convBackwardFilter);
        for (Conv c : cases) {
            check(cand, b, "conv backward data " + c, be -> convBackwardData(be, c), cand.convBackward());
            check(cand, b, "conv backward filter " + c, be -> convBackwardFilter(be, c), cand.convBackward());
        }
    }

    // ---- pooling ----

    private static float[] maxPoolForwardAndBackward(Backend b, Shape xs, float[] x, float[] dy, PoolSpec p) {
        Shape ys = Shape.of(xs.n(), xs.c(), p.outH(xs.h()), p.outW(xs.w()));
        try (Tensor tx = b.upload(xs, x);
                Tensor ty = b.upload(ys, sentinel(ys.size()));
                Tensor tdy = b.upload(ys, dy);
                Tensor tdx = b.upload(xs, sentinel(xs.size()))) {
            b.maxPoolForward(tx, ty, p);
            b.maxPoolBackward(tx, ty, tdy, tdx, p);
            return concat(b.download(ty), b.download(tdx));
        }
    }

    /** Max pooling and its gradient, bit for bit: ties and signed zeros, where the first maximum takes it all. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("candidates")
    void maxPool(BackendCandidate cand) {
        Backend b = open(cand);
        for (int n = 1; n <= MAX_BATCH; n++) {
            for (int[] hw : POOL_SIDES) {
                for (PoolSpec p : POOLS) {
                    Shape xs = Shape.of(n, 3 + n % 2, hw[0], hw[1]);
                    long seed = xs.hashCode() * 31L + p.hashCode();
                    float[] x = withTies(xs.size(), seed);
                    float[] dy = Data.uniform(n * xs.c() * p.outH(hw[0]) * p.outW(hw[1]), 1f, seed + 1);
                    check(
                            cand,
                            b,
                            "max pool " + xs + " " + p,
                            be -> maxPoolForwardAndBackward(be, xs, x, dy, p),
                            Tolerance.EXACT);
                }
            }
        }
    }

    /** VGG16's five pooling shapes, on distinct values. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("candidates")
    void maxPoolOnVgg16Shapes(BackendCandidate cand) {
        Backend b = open(cand);
        for (int[] shape : new int[][] {{64, 224}, {128, 112}, {256, 56}, {512, 28}, {512, 14}}) {
            Shape xs = Shape.of(1, shape[0], shape[1], shape[1]);
            float[] x = BackendOpsCases.once("pool x " + xs, () -> Data.distinct(xs.size(), 1e-3f, shape[1]));
            float[] dy = BackendOpsCases.once("pool dy " + xs, () -> Data.uniform(xs.size() / 4, 1f, shape[1] + 1L));
            check(
                    cand,
                    b,
                    "max pool " + xs,
                    be -> maxPoolForwardAndBackward(be, xs, x, dy, TWO_BY_TWO),
                    Tolerance.EXACT);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("candidates")
    void averagePool(BackendCandidate cand) {
        Backend b = open(cand);
        // the head's 4x4 pool of the corner (4x4 -> 1x1) and of the full map (7x7 -> 1x1), and the pool sweep
        List<int[]> sides = new ArrayList<>(List.of(new int[] {4, 4}));
        sides.addAll(List.of(POOL_SIDES));
        for (int n = 1; n <= MAX_BATCH; n++) {
            for (int[] hw : sides) {
                for (PoolSpec p : POOLS) {
                    if (p.poolH() > hw[0] || p.poolW() > hw[1]) {
                        continue;
                    }
                    Shape xs = Shape.of(n, 5, hw[0], hw[1]);
                    Shape ys = Shape.of(n, 5, p.outH(hw[0]), p.outW(hw[1]));
                    float[] x = Data.uniform(xs.size(), 2f, xs.hashCode() + p.hashCode());
                    float[] dy = Data.uniform(ys.size(), 1f, ys.hashCode() + p.hashCode());
                    String what = "average pool " + xs + " " + p;
                    check(
                            cand,
                            b,
                            what,
                            be -> {
                                try (Tensor tx = be.upload(xs, x);
                                        Tensor ty = be.upload(ys, sentinel(ys.size()))) {
                                    be.avgPoolForward(tx, ty, p);
                                    return be.download(ty);
                                }
                            },
                            cand.avgPoolForward());
                    check(
                            cand,
                            b,
                            "backward " + what,
                            be -> {
                                try (Tensor tdy = be.upload(ys, dy);
                                        Tensor tdx = be.upload(xs, sentinel(xs.size()))) {
                                    be.avgPoolBackward(tdy, tdx, p);
                                    return be.download(tdx);
                                }
                            },
                            Tolerance.EXACT);
                }
            }
        }
    }

    // ---- linear algebra ----

    /** {@link BackendOpsCases#gemmCases}; an empty depth leaves beta * C exactly. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("candidates")
    void gemm(BackendCandidate cand) {
        Backend b = open(cand);
        List<Gemm> cases = BackendOpsCases.gemmCases();
        expectAll(cases, Gemm::toString, (r, g) -> g.run(r));
        for (Gemm g : cases) {
            check(cand, b, g.toString(), g::run, g.k() == 0 ? Tolerance.EXACT : cand.gemm());
        }
    }

    // ---- elementwise, activations, losses, optimizer ----

    @ParameterizedTest(name = "{0}")
    @MethodSource("candidates")
    void elementwise(BackendCandidate cand) {
        Backend b = open(cand);
        for (int size : SIZES) {
            Shape s = Shape.of(size);
            float[] u = Data.uniform(size, 2f, size);
            float[] v = Data.uniform(size, 2f, size + 1L);
            // relu sees exact zeros, negative zeros and a NaN too
            for (int i = 0; i < size; i += 5) {
                u[i] = i % 10 == 0 ? 0f : -0f;
            }
            u[size / 2] = size > 1 ? Float.NaN : u[0];
            check(
                    cand,
                    b,
                    "add " + size,
                    be -> {
                        try (Tensor x = be.upload(s, u);
                                Tensor y = be.upload(s, v)) {
                            be.add(x, y);
                            return be.download(y);
                        }
                    },
                    Tolerance.EXACT);
            check(
                    cand,
                    b,
                    "mul " + size,
                    be -> {
                        try (Tensor x = be.upload(s, u);
                                Tensor y = be.upload(s, v);
                                Tensor z = be.upload(s, sentinel(size))) {
                            be.mul(x, y, z);
                            be.mul(z, y, y);
                            return concat(be.download(z), be.download(y));
                        }
                    },
                    Tolerance.EXACT);
            check(
                    cand,
                    b,
                    "relu " + size,
                    be -> {
                        try (Tensor x = be.upload(s, u);
                                Tensor y = be.upload(s, sentinel(size));
                                Tensor dx = be.upload(s, sentinel(size));
                                Tensor dy = be.upload(s, v)) {
                            be.reluForward(x, y);
                            be.reluBackward(y, dy, dx);
                            return concat(be.download(y), be.download(dx));
                        }
                    },
                    Tolerance.EXACT);
            check(
                    cand,
                    b,
                    "relu in place " + size,
                    be -> {
                        try (Tensor x = be.upload(s, u);
                                Tensor dy = be.upload(s, v)) {
                            be.reluForward(x, x);
                            be.reluBackward(x, dy, dy);
                            return concat(be.download(x), be.download(dy));
                        }
                    },
                    Tolerance.EXACT);
            check(
                    cand,
                    b,
                    "copy, fill and zeros " + size,
                    be -> {
                        try (Tensor x = be.upload(s, u);
                                Tensor y = be.upload(s, sentinel(size));
                                Tensor z = be.zeros(s)) {
                            be.copy(x, y);
                            float[] copied = be.download(y);
                            be.fill(y, -1.5f);
                            return concat(copied, be.download(y), be.download(z));
                        }
                    },
                    Tolerance.EXACT);
        }
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
        shapes.addAll(List.of(Shape.of(1, 3, 1, 1), Shape.of(3, 5, 7, 9), Shape.of(4, 33), Shape.of(2, 3, 200, 200)));
        for (Shape s : shapes) {
            float[] y0 = Data.uniform(s.size(), 1f, s.hashCode());
            float[] bias = Data.uniform(s.c(), 1f, s.hashCode() + 1L);
            float[] db0 = Data.uniform(s.c(), 1f, s.hashCode() + 2L);
            check(
                    cand,
                    b,
                    "bias add " + s,
                    be -> {
                        try (Tensor y = be.upload(s, y0);
                                Tensor tb = be.upload(Shape.of(s.c()), bias)) {
                            be.biasAdd(y, tb);
                            return be.download(y);
                        }
                    },
                    Tolerance.EXACT);
            // the gradient accumulates onto a non-zero start
            check(
                    cand,
                    b,
                    "bias gradient " + s,
                    be -> {
                        try (Tensor dy = be.upload(s, y0);
                                Tensor db = be.upload(Shape.of(s.c()), db0)) {
                            be.biasBackward(dy, db);
                            return be.download(db);
                        }
                    },
                    cand.biasBackward());
        }
    }

    /** Each loss's gradient and value on probabilities {@code p}; {@code withGradient} false passes no dp. */
    private static float[] loss(Backend be, Shape s, float[] p, float[] target, boolean binary, boolean withGradient) {
        try (Tensor tp = be.upload(s, p);
                Tensor tt = be.upload(s, target);
                Tensor dp = withGradient ? be.upload(s, sentinel(s.size())) : null) {
            float l = binary ? be.binaryCrossEntropy(tp, tt, dp, 1e-7f) : be.categoricalCrossEntropy(tp, tt, dp, 1e-7f);
            return withGradient ? be.download(dp) : new float[] {l};
        }
    }

    private static void losses(BackendCandidate cand, Backend b, String what, Shape s, float[] p, float[] target) {
        for (boolean binary : new boolean[] {true, false}) {
            String loss = (binary ? "binary" : "categorical") + " cross-entropy " + what;
            check(cand, b, loss + " gradient", be -> loss(be, s, p, target, binary, true), Tolerance.EXACT);
            check(cand, b, loss + " value", be -> loss(be, s, p, target, binary, false), cand.lossValue());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("candidates")
    void softmaxAndLosses(BackendCandidate cand) {
        Backend b = open(cand);
        for (int n = 1; n <= MAX_BATCH; n++) {
            for (int f : new int[] {1, 2, 7, 13}) {
                Shape s = Shape.of(n, f);
                float[] logits = Data.uniform(s.size(), 6f, n * 100L + f);
                float[] dy = Data.uniform(s.size(), 1f, n * 100L + f + 50);
                float[] target = new float[s.size()];
                for (int i = 0; i < n; i++) {
                    target[i * f + (i * 3) % f] = 1f;
                }
                // a saturated probability, so the clip at eps is reached
                logits[0] = 60f;
                String what = "softmax " + s;
                Function<Backend, float[]> softmax = be -> {
                    try (Tensor x = be.upload(s, logits);
                            Tensor y = be.upload(s, sentinel(s.size()));
                            Tensor tdy = be.upload(s, dy);
                            Tensor dx = be.upload(s, sentinel(s.size()))) {
                        be.softmaxForward(x, y);
                        be.softmaxBackward(y, tdy, dx);
                        return concat(be.download(y), be.download(dx));
                    }
                };
                check(cand, b, what, softmax, cand.softmax());
                // the losses on the reference's probabilities
                losses(cand, b, s.toString(), s, Arrays.copyOf(expected(what, softmax), s.size()), target);
            }
        }
    }

    /** Probabilities at and beyond the clip: 0 and 1 exactly (zero gradient there), and below eps. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("candidates")
    void lossesOnClippedProbabilities(BackendCandidate cand) {
        Backend b = open(cand);
        Shape s = Shape.of(8, 2);
        float[] p = Data.uniform(s.size(), 0.5f, 41);
        for (int i = 0; i < p.length; i++) {
            p[i] += 0.5f;
        }
        p[3] = 0f;
        p[6] = 1f;
        p[9] = 1e-8f;
        float[] target = new float[s.size()];
        for (int i = 0; i < s.n(); i++) {
            target[2 * i + (i % 2)] = 1f;
        }
        losses(cand, b, "clipped " + s, s, p, target);
    }

    /** Three Adam steps from fresh moments (zero) and from moments already under way. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("candidates")
    void adam(BackendCandidate cand) {
        Backend b = open(cand);
        for (int size : SIZES) {
            for (boolean fresh : new boolean[] {true, false}) {
                Shape s = Shape.of(size);
                float[] m0 = fresh ? new float[size] : Data.uniform(size, 1e-3f, size + 10L);
                float[] v0 = fresh ? new float[size] : Data.awayFromZero(size, 1e-6f, 1e-4f, size + 11L);
                for (int i = 0; i < size; i++) {
                    v0[i] = Math.abs(v0[i]);
                }
                check(
                        cand,
                        b,
                        "adam " + size + (fresh ? "" : " under way"),
                        be -> {
                            try (Tensor w = be.upload(s, Data.uniform(size, 1f, size));
                                    Tensor m = be.upload(s, m0);
                                    Tensor v = be.upload(s, v0);
                                    Tensor g = be.upload(s, sentinel(size))) {
                                for (int step = 1; step <= 3; step++) {
                                    int seed = size + step;
                                    float[] g0 = BackendOpsCases.once(
                                            "adam g " + size + " " + step, () -> Data.uniform(size, 0.1f, seed));
                                    try (Tensor next = be.upload(s, g0)) {
                                        be.copy(next, g);
                                    }
                                    float alpha = (float)
                                            (1e-3 * Math.sqrt(1 - Math.pow(0.999, step)) / (1 - Math.pow(0.9, step)));
                                    be.adamStep(w, g, m, v, alpha, 0.9f, 0.999f, 1e-7f);
                                }
                                return concat(be.download(w), be.download(m), be.download(v));
                            }
                        },
                        Tolerance.EXACT);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("candidates")
    void theSweepsAreNotAllZero(BackendCandidate cand) {
        open(cand);
        // a guard on the harness itself: its convolutions must produce values, not ReLU's zeros
        Conv c = BackendOpsCases.winogradSweep().get(0);
        float[] want = expected("conv " + c, r -> convForward(r, c));
        long nonZero = 0;
        for (float v : want) {
            nonZero += v != 0 ? 1 : 0;
        }
        assertTrue(nonZero > want.length / 3, "most outputs are non-zero");
    }
}
