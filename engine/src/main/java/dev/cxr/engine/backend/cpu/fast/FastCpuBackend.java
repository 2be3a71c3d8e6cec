package dev.cxr.engine.backend.cpu.fast;

import static dev.cxr.engine.backend.cpu.CpuTensors.data;
import static dev.cxr.engine.backend.cpu.CpuTensors.read;
import static dev.cxr.engine.backend.cpu.CpuTensors.requireSameSize;
import static dev.cxr.engine.backend.cpu.CpuTensors.requireShape;

import dev.cxr.engine.backend.Backend;
import dev.cxr.engine.backend.ConvGeometry;
import dev.cxr.engine.backend.ConvSpec;
import dev.cxr.engine.backend.PoolGeometry;
import dev.cxr.engine.backend.PoolSpec;
import dev.cxr.engine.backend.cpu.CpuTensors;
import dev.cxr.engine.backend.cpu.ReferenceBackend;
import dev.cxr.engine.backend.cpu.WorkerPool;
import dev.cxr.engine.tensor.HeapStorage;
import dev.cxr.engine.tensor.Shape;
import dev.cxr.engine.tensor.Tensor;
import java.util.Arrays;
import java.util.function.BiFunction;

/**
 * The fast CPU backend: a fixed pool of worker threads, SIMD kernels through the Vector API,
 * cache-blocked GEMM, convolution as tiled im2col GEMM, and Winograd F(4x4, 3x3) or F(2x2, 3x3)
 * for 3x3 stride-1 convolutions, with bias and ReLU fused into the convolution. Its tensors are
 * {@link HeapStorage}, like the reference backend's, so the two mix freely; every op is tested
 * against the reference backend. Results are deterministic and the same for any thread count.
 *
 * <p>Needs {@code --add-modules jdk.incubator.vector} on the JVM command line. Ops that use the
 * backend's work buffers are synchronized, so callers on several threads queue rather than share
 * them (the engine's layers call from one thread anyway).
 */
public final class FastCpuBackend implements Backend {
    /** Chooses the Winograd variant for a 3x3 stride-1 convolution, or null for im2col GEMM. */
    @FunctionalInterface
    interface ConvPolicy extends BiFunction<ConvGeometry, ConvSpec, Winograd> {}

    /** Maps up to this size that are even but not multiples of 4 use F(2x2): VGG16's 14x14 block 5. */
    static final int SMALL_MAP = 16;

    /**
     * The default choice. Winograd needs enough channels to pay for its transforms (VGG16's first
     * layer, 3 input channels, runs as im2col GEMM). F(4x4) does 4x fewer multiplications than
     * direct convolution, F(2x2) 2.25x; but where the output's sides are even and not multiples of
     * 4 (VGG16's 14x14 block 5) F(4x4) would compute 31% of padding and keep its transformed
     * kernels at 4x the weights' size, so F(2x2) covers them exactly with 16/9 (measured: 12% slower
     * on those layers, 63 MB less heap for VGG16). On larger maps F(4x4)'s padding costs a few percent
     * while F(2x2) costs 1.8x the multiplications, so there F(4x4) is used whatever the sides' parity
     * (the classifier's corner base has maps of 217, 106, 50 and 22).
     */
    static final ConvPolicy DEFAULT_POLICY = (g, s) -> {
        if (g.c() < 16 || g.k() < 16) {
            return null;
        }
        boolean even = g.outH() % 2 == 0 && g.outW() % 2 == 0;
        boolean quadruple = g.outH() % 4 == 0 && g.outW() % 4 == 0;
        boolean small = g.outH() <= SMALL_MAP && g.outW() <= SMALL_MAP;
        return even && !quadruple && small ? Winograd.F2 : Winograd.F4;
    };

    private final int threads;
    private final WorkerPool pool;
    private final Scratch shared = new Scratch();
    private final Scratch[] scratch;
    private final TransformedWeights transformed = new TransformedWeights();
    private final ConvPolicy policy;
    private final WinogradConv.Tuning tuning;
    /** Softmax and the losses run on [N, F] rows of a few values: the reference backend's loops serve them. */
    private final ReferenceBackend reference = new ReferenceBackend();

    /** @param threads worker threads; 0 means one per available core */
    public FastCpuBackend(int threads) {
        this(threads, DEFAULT_POLICY);
    }

    FastCpuBackend(int threads, ConvPolicy policy) {
        this(threads, policy, WinogradConv.Tuning.DEFAULT);
    }

    /** A backend with its convolution choices forced, for tests that must reach every path. */
    FastCpuBackend(int threads, ConvPolicy policy, WinogradConv.Tuning tuning) {
        if (threads < 0) {
            throw new IllegalArgumentException("threads must be 0 (all cores) or positive, got " + threads);
        }
        this.threads = threads == 0 ? Runtime.getRuntime().availableProcessors() : threads;
        this.pool = new WorkerPool(this.threads);
        this.scratch = new Scratch[this.threads];
        for (int i = 0; i < this.threads; i++) {
            scratch[i] = new Scratch();
        }
        this.policy = policy;
        this.tuning = tuning;
    }

    @Override
    public String name() {
        return "cpu";
    }

    /**
     * The SIMD width this backend runs at in this JVM, its GEMM kernel's shape and whether the JIT
     * compiles it to machine vectors (see {@link Simd}).
     */
    public static String simd() {
        return Simd.describe();
    }

    /** Null where the kernels run as machine vectors here, else why they do not (they would run about 70x slower). */
    public static String simdProblem() {
        return Simd.NOT_VECTORISED;
    }

    /** Worker threads, including the calling thread. */
    public int threads() {
        return threads;
    }

    // ---- memory ----

    @Override
    public Tensor zeros(Shape shape) {
        return CpuTensors.zeros(shape);
    }

    @Override
    public Tensor upload(Shape shape, float[] values) {
        return CpuTensors.of(shape, values);
    }

    @Override
    public float[] download(Tensor t) {
        return Arrays.copyOf(read(t), t.size());
    }

    @Override
    public void copy(Tensor src, Tensor dst) {
        requireSameSize(src, dst);
        float[] s = read(src);
        System.arraycopy(s, 0, data(dst), 0, src.size());
    }

    @Override
    public void fill(Tensor t, float value) {
        Arrays.fill(data(t), 0, t.size(), value);
    }

    // ---- elementwise ----

    @Override
    public void add(Tensor src, Tensor dst) {
        requireSameSize(src, dst);
        float[] s = read(src);
        Elementwise.add(pool, s, data(dst), src.size());
    }

    @Override
    public void mul(Tensor a, Tensor b, Tensor out) {
        requireSameSize(a, b);
        requireSameSize(a, out);
        float[] x = read(a);
        float[] y = read(b);
        Elementwise.mul(pool, x, y, data(out), a.size());
    }

    // ---- linear algebra ----

    @Override
    public synchronized void gemm(
            boolean transA,
            boolean transB,
            int m,
            int n,
            int k,
            float alpha,
            Tensor a,
            Tensor b,
            float beta,
            Tensor c) {
        if (m < 0 || n < 0 || k < 0 || a.size() != m * k || b.size() != k * n || c.size() != m * n) {
            throw new IllegalArgumentException(
                    "gemm m=" + m + " n=" + n + " k=" + k + " got A" + a.shape() + " B" + b.shape() + " C" + c.shape());
        }
        float[] av = read(a);
        float[] bv = read(b);
        Gemm.run(pool, scratch, transA, transB, m, n, k, alpha, av, bv, beta, data(c));
    }

    @Override
    public void biasAdd(Tensor y, Tensor bias) {
        int n = y.shape().n();
        int channels = y.shape().c();
        requireShape(bias, Shape.of(channels), "bias");
        int inner = n * channels == 0 ? 0 : y.size() / (n * channels);
        float[] b = read(bias);
        Elementwise.biasAdd(pool, data(y), b, n, channels, inner);
    }

    @Override
    public void biasBackward(Tensor dy, Tensor dbias) {
        int n = dy.shape().n();
        int channels = dy.shape().c();
        requireShape(dbias, Shape.of(channels), "bias gradient");
        int inner = n * channels == 0 ? 0 : dy.size() / (n * channels);
        float[] d = read(dy);
        Elementwise.biasBackward(pool, d, data(dbias), n, channels, inner);
    }

    // ---- activations ----

    @Override
    public void reluForward(Tensor x, Tensor y) {
        requireSameSize(x, y);
        float[] xv = read(x);
        Elementwise.relu(pool, xv, data(y), x.size());
    }

    @Override
    public void reluBackward(Tensor y, Tensor dy, Tensor dx) {
        requireSameSize(y, dy);
        requireSameSize(y, dx);
        float[] yv = read(y);
        float[] dyv = read(dy);
        Elementwise.reluBackward(pool, yv, dyv, data(dx), y.size());
    }

    @Override
    public void softmaxForward(Tensor x, Tensor y) {
        reference.softmaxForward(x, y);
    }

    @Override
    public void softmaxBackward(Tensor y, Tensor dy, Tensor dx) {
        reference.softmaxBackward(y, dy, dx);
    }

    // ---- convolution ----

    // x [N, C, H, W], w [K, C, kh, kw], bias [K] -> y [N, K, OH, OW], then ReLU if asked
    // Winograd for 3x3 stride 1 (per the policy), otherwise tiled im2col GEMM
    @Override
    public synchronized void conv2dForward(Tensor x, Tensor w, Tensor bias, Tensor y, ConvSpec s, boolean relu) {
        ConvGeometry g = ConvGeometry.of(x.shape(), w.shape(), s);
        requireShape(y, g.outputShape(), "conv output");
        if (bias != null) {
            requireShape(bias, Shape.of(g.k()), "conv bias");
        }
        float[] xv = read(x);
        float[] wv = read(w);
        float[] bv = bias == null ? null : read(bias);
        Winograd variant = algorithm(g, s);
        if (variant != null) {
            float[] u = transformedWeights(w, g, variant);
            WinogradConv.forward(pool, shared, scratch, tuning, xv, g, s, variant, u, bv, data(y), relu);
        } else {
            Im2colConv.forward(pool, shared, scratch, xv, g, s, wv, bv, data(y), relu);
        }
    }

    /** A 3x3 stride-1 convolution that runs as Winograd, followed by a 2x2 stride-2 max pool. */
    @Override
    public boolean fusesConvMaxPool(Shape x, Shape w, ConvSpec conv, PoolSpec poolSpec) {
        boolean twoByTwo =
                poolSpec.poolH() == 2 && poolSpec.poolW() == 2 && poolSpec.strideH() == 2 && poolSpec.strideW() == 2;
        return twoByTwo && algorithm(ConvGeometry.of(x, w, conv), conv) != null;
    }

    // x [N, C, H, W], w [K, C, 3, 3], bias [K] -> y [N, K, OH / 2, OW / 2]: each Winograd output tile is
    // pooled as it is written, so the convolution's output never reaches memory
    @Override
    public synchronized void conv2dMaxPoolForward(
            Tensor x, Tensor w, Tensor bias, Tensor y, ConvSpec s, boolean relu, PoolSpec poolSpec) {
        if (!fusesConvMaxPool(x.shape(), w.shape(), s, poolSpec)) {
            throw new IllegalArgumentException("conv " + s + " + max pool " + poolSpec + " on " + x.shape()
                    + " does not run fused on " + name() + " (ask fusesConvMaxPool first)");
        }
        ConvGeometry g = ConvGeometry.of(x.shape(), w.shape(), s);
        requireShape(
                y, Shape.of(g.n(), g.k(), poolSpec.outH(g.outH()), poolSpec.outW(g.outW())), "conv + max pool output");
        if (bias != null) {
            requireShape(bias, Shape.of(g.k()), "conv bias");
        }
        float[] xv = read(x);
        float[] bv = bias == null ? null : read(bias);
        Winograd variant = algorithm(g, s);
        float[] u = transformedWeights(w, g, variant);
        WinogradConv.forward(pool, shared, scratch, tuning, xv, g, s, variant, u, bv, data(y), relu, true);
    }

    /** The Winograd variant this backend uses for a convolution, or null for im2col GEMM. */
    Winograd algorithm(ConvGeometry g, ConvSpec s) {
        return WinogradConv.applies(s) ? policy.apply(g, s) : null;
    }

    /** The weights transformed for Winograd, from the cache unless they changed since. */
    private float[] transformedWeights(Tensor w, ConvGeometry g, Winograd variant) {
        HeapStorage storage = CpuTensors.heap(w);
        return transformed.transformed(storage, variant, g.k(), g.c(), () -> {
            float[] wv = storage.readData();
            float[] u = new float[WinogradConv.kernelSize(variant, g.k(), g.c())];
            int kPadded = (g.k() + MicroKernel.MR - 1) / MicroKernel.MR * MicroKernel.MR;
            int panels = kPadded / MicroKernel.MR;
            pool.run(
                    panels,
                    (worker, panel) -> variant.transformKernels(
                            wv, g.k(), g.c(), u, panel * MicroKernel.MR, (panel + 1) * MicroKernel.MR));
            return u;
        });
    }

    /** Transformed weights currently cached (for tests). */
    int cachedTransforms() {
        return transformed.size();
    }

    @Override
    public synchronized void conv2dBackwardData(Tensor dy, Tensor w, Tensor dx, ConvSpec s) {
        ConvGeometry g = ConvGeometry.of(dx.shape(), w.shape(), s);
        requireShape(dy, g.outputShape(), "conv output gradient");
        float[] dyv = read(dy);
        float[] wv = read(w);
        Im2colConv.backwardData(pool, scratch, dyv, g, s, wv, data(dx));
    }

    @Override
    public synchronized void conv2dBackwardFilter(Tensor x, Tensor dy, Tensor dw, ConvSpec s) {
        ConvGeometry g = ConvGeometry.of(x.shape(), dw.shape(), s);
        requireShape(dy, g.outputShape(), "conv output gradient");
        float[] xv = read(x);
        float[] dyv = read(dy);
        Im2colConv.backwardFilter(pool, scratch, xv, dyv, g, s, data(dw));
    }

    // ---- pooling ----

    @Override
    public synchronized void maxPoolForward(Tensor x, Tensor y, PoolSpec p) {
        PoolGeometry g = PoolGeometry.of(x.shape(), p);
        requireShape(y, g.outputShape(), "max pool output");
        float[] xv = read(x);
        Pooling.maxForward(pool, scratch, xv, data(y), g, p);
    }

    @Override
    public void maxPoolBackward(Tensor x, Tensor y, Tensor dy, Tensor dx, PoolSpec p) {
        PoolGeometry g = PoolGeometry.of(x.shape(), p);
        requireShape(dy, g.outputShape(), "max pool output gradient");
        requireSameSize(x, dx);
        float[] xv = read(x);
        float[] dyv = read(dy);
        Pooling.maxBackward(pool, xv, dyv, data(dx), g, p);
    }

    @Override
    public void avgPoolForward(Tensor x, Tensor y, PoolSpec p) {
        PoolGeometry g = PoolGeometry.of(x.shape(), p);
        requireShape(y, g.outputShape(), "average pool output");
        float[] xv = read(x);
        Pooling.avgForward(pool, xv, data(y), g, p);
    }

    @Override
    public void avgPoolBackward(Tensor dy, Tensor dx, PoolSpec p) {
        PoolGeometry g = PoolGeometry.of(dx.shape(), p);
        requireShape(dy, g.outputShape(), "average pool output gradient");
        float[] dyv = read(dy);
        Pooling.avgBackward(pool, dyv, data(dx), g, p);
    }

    // ---- losses ----

    @Override
    public float binaryCrossEntropy(Tensor p, Tensor target, Tensor dp, float eps) {
        return reference.binaryCrossEntropy(p, target, dp, eps);
    }

    @Override
    public float categoricalCrossEntropy(Tensor p, Tensor target, Tensor dp, float eps) {
        return reference.categoricalCrossEntropy(p, target, dp, eps);
    }

    // ---- optimizer ----

    @Override
    public void adamStep(Tensor w, Tensor g, Tensor m, Tensor v, float alpha, float beta1, float beta2, float epsilon) {
        requireSameSize(w, g);
        requireSameSize(w, m);
        requireSameSize(w, v);
        float[] gv = read(g);
        float oneMinusBeta1 = (float) (1.0 - beta1);
        float oneMinusBeta2 = (float) (1.0 - beta2);
        Elementwise.adam(pool, data(w), gv, data(m), data(v), w.size(), alpha, oneMinusBeta1, oneMinusBeta2, epsilon);
    }

    /** Stops the worker threads and drops the cached transformed weights and work buffers. */
    @Override
    public void close() {
        pool.close();
        transformed.clear();
        shared.clear();
        for (Scratch s : scratch) {
            s.clear();
        }
    }
}
