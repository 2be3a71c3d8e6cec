package dev.cxr.engine.backend.cuda;

import static dev.cxr.engine.tensor.Tensor.requireSameSize;
import static dev.cxr.engine.tensor.Tensor.requireShape;

import dev.cxr.engine.CxrException;
import dev.cxr.engine.CxrException.Remedy;
import dev.cxr.engine.backend.Backend;
import dev.cxr.engine.backend.ConvGeometry;
import dev.cxr.engine.backend.ConvSpec;
import dev.cxr.engine.backend.PoolGeometry;
import dev.cxr.engine.backend.PoolSpec;
import dev.cxr.engine.backend.cuda.CudaStatus.Gpu;
import dev.cxr.engine.backend.cuda.Cudnn.Dims;
import dev.cxr.engine.tensor.Shape;
import dev.cxr.engine.tensor.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import jcuda.driver.CUdeviceptr;

/**
 * The CUDA backend: every tensor it makes lives in GPU memory, so a network's weights are uploaded
 * once and its activations stay on the device from layer to layer; only {@link #upload} and
 * {@link #download} cross the bus (through a pinned buffer when large).
 *
 * <p>Providers: cuDNN for convolutions (forward, backward data, backward filter; algorithms chosen
 * once per shape), max and average pooling forward, softmax and the bias gradient; cuBLAS 12 for
 * gemm where it loads, else an own kernel; own kernels for the rest (see cxr_kernels.cu). All float32
 * without TF32. Results match the reference within float32 rounding; they are not bit-reproducible
 * run to run where cuDNN picks a non-deterministic algorithm.
 *
 * <p>One backend, one GPU, one stream; use it from one thread at a time.
 */
public final class CudaBackend implements Backend {
    private final CudaContext ctx;
    private final CudaKernels kernels;
    private final Cudnn cudnn;
    private final Cublas cublas;
    private final String cublasNote;
    private final CudaStatus status;
    private final Set<CudaStorage> live = Collections.newSetFromMap(new IdentityHashMap<>());
    private final CudaConvolutions convolutions;
    private CUdeviceptr lossTotal;
    private boolean closed;

    private CudaBackend(CudaStatus status, Gpu gpu) {
        this.status = status;
        CudaContext c = new CudaContext(gpu);
        CudaKernels k = null;
        Cudnn d = null;
        Cublas b = null;
        String note;
        try {
            k = new CudaKernels(c);
            d = new Cudnn(c);
            if (status.cublas().loaded()) {
                try {
                    b = new Cublas(c);
                    note = "cuBLAS " + status.cublas().version();
                } catch (CudaException | LinkageError e) {
                    note = "own kernel (cuBLAS loaded but " + NativeLibraries.shortReason(e) + ")";
                }
            } else {
                note = "own kernel (cuBLAS absent: " + status.cublas().problem() + ")";
            }
            this.lossTotal = c.alloc(8, "the loss total");
        } catch (Throwable e) {
            if (b != null) {
                b.close();
            }
            if (d != null) {
                d.close();
            }
            if (k != null) {
                k.close();
            }
            c.close();
            throw e;
        }
        this.ctx = c;
        this.kernels = k;
        this.cudnn = d;
        this.cublas = b;
        this.cublasNote = note;
        this.convolutions = new CudaConvolutions(c, d, k);
        ctx.onOutOfMemory(this::releaseScratch);
    }

    /**
     * Opens the GPU with this index.
     *
     * @throws CxrException when CUDA is not usable here (the probe's reason), the index does not
     *                      exist, the GPU is too old for the kernels, or its start-up fails
     */
    public static CudaBackend open(int gpuIndex) {
        CudaStatus s = CudaProbe.status();
        if (!s.usable()) {
            throw new CxrException("no usable GPU: " + s.reason(), Remedy.USE_THE_CPU);
        }
        if (gpuIndex < 0 || gpuIndex >= s.gpus().size()) {
            throw new CxrException(
                    "there is no GPU " + gpuIndex + ": this machine has "
                            + s.gpus().size() + " GPU"
                            + (s.gpus().size() == 1
                                    ? " (index 0)"
                                    : "s (indexes 0 to " + (s.gpus().size() - 1) + ")"),
                    Remedy.ANOTHER_GPU);
        }
        Gpu gpu = s.gpus().get(gpuIndex);
        if (gpu.computeMajor() * 10 + gpu.computeMinor() < 75) {
            throw new CxrException(
                    "GPU " + gpuIndex + " (" + gpu.name() + ") has compute capability " + gpu.computeMajor() + "."
                            + gpu.computeMinor() + "; cuDNN 9 and cxr's kernels need 7.5 or newer",
                    Remedy.USE_THE_CPU);
        }
        try {
            return new CudaBackend(s, gpu);
        } catch (CudaException | LinkageError e) {
            // LinkageError: a JNI entry point that this cuDNN or driver lacks
            String why = e instanceof CudaException ? e.getMessage() : NativeLibraries.shortReason(e);
            throw new CxrException(
                    "cuda:" + gpuIndex + " (" + gpu.name() + ") did not start: " + why, Remedy.USE_THE_CPU, e);
        }
    }

    @Override
    public String name() {
        return "cuda:" + ctx.gpu.index();
    }

    /** Which library does what here, for reports: "cuDNN 9.10.2 ...; gemm: own kernel (cuBLAS absent: ...)". */
    public String providers() {
        return "GPU " + ctx.gpu.describe() + "; " + status.driver() + "; cuDNN "
                + status.cudnn().version()
                + " (convolutions, pooling forward, softmax, bias gradient); gemm: " + cublasNote
                + "; own PTX kernels (elementwise, bias, padding, pooling gradients, losses, Adam)";
    }

    /** The convolution algorithms chosen so far, one line per shape. */
    public List<String> convolutionPlans() {
        return convolutions.describePlans();
    }

    /** [free, total] GPU memory in bytes. */
    public long[] memoryInfo() {
        ctx.makeCurrent();
        return ctx.memoryInfo();
    }

    // ---- memory ----

    private Tensor allocate(Shape shape, String what) {
        ensureOpen();
        ctx.makeCurrent();
        int n = shape.size();
        CUdeviceptr p = ctx.alloc(4L * n, what + " " + shape);
        CudaStorage s = new CudaStorage(this, p, n);
        live.add(s);
        return new Tensor(shape, s);
    }

    @Override
    public Tensor zeros(Shape shape) {
        Tensor t = allocate(shape, "a tensor");
        ctx.fill(ptr(t), 0f, Math.max(t.size(), 1));
        ctx.opDone("zeros");
        return t;
    }

    @Override
    public Tensor upload(Shape shape, float[] data) {
        if (data.length != shape.size()) {
            throw new IllegalArgumentException(
                    "shape " + shape + " needs " + shape.size() + " values, got " + data.length);
        }
        Tensor t = allocate(shape, "a tensor");
        ctx.upload(data, ptr(t), data.length);
        return t;
    }

    @Override
    public float[] download(Tensor t) {
        ctx.makeCurrent();
        float[] out = new float[t.size()];
        ctx.download(ptr(t), out, out.length);
        return out;
    }

    @Override
    public void copy(Tensor src, Tensor dst) {
        requireSameSize(src, dst);
        ctx.makeCurrent();
        if (ptr(src) != ptr(dst)) {
            ctx.copy(ptr(src), ptr(dst), 4L * src.size());
        }
        ctx.opDone("copy");
    }

    @Override
    public void fill(Tensor t, float value) {
        ctx.makeCurrent();
        if (t.size() > 0) {
            ctx.fill(ptr(t), value, t.size());
        }
        ctx.opDone("fill");
    }

    /** Frees a tensor's memory (called by {@link CudaStorage#close()}). */
    void release(CudaStorage s) {
        if (!closed && live.remove(s)) {
            ctx.makeCurrent();
            ctx.free(s.pointer());
        }
        s.markReleased();
    }

    // ---- elementwise ----

    @Override
    public void add(Tensor src, Tensor dst) {
        requireSameSize(src, dst);
        kernels.add(src.size(), ptr(src), ptr(dst));
    }

    @Override
    public void mul(Tensor a, Tensor b, Tensor out) {
        requireSameSize(a, b);
        requireSameSize(a, out);
        kernels.mul(a.size(), ptr(a), ptr(b), ptr(out));
    }

    // ---- linear algebra ----

    // C[m,n] = alpha * op(A)[m,k] . op(B)[k,n] + beta * C   (row-major)
    @Override
    public void gemm(
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
        if ((long) m * k != a.size() || (long) k * n != b.size() || (long) m * n != c.size()) {
            throw new IllegalArgumentException(
                    "gemm m=" + m + " n=" + n + " k=" + k + " got A" + a.shape() + " B" + b.shape() + " C" + c.shape());
        }
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            // op(A) op(B) is empty: C = beta * C, and beta = 0 must not read C
            if (beta == 0f) {
                fill(c, 0f);
            } else if (beta != 1f) {
                scaleInPlace(c, beta);
            }
            return;
        }
        if (cublas != null) {
            cublas.sgemm(transA, transB, m, n, k, alpha, ptr(a), ptr(b), beta, ptr(c));
        } else {
            kernels.sgemm(transA, transB, m, n, k, alpha, ptr(a), ptr(b), beta, ptr(c));
        }
    }

    /** c *= factor through the host (a rare path: gemm with k = 0 and beta other than 0 or 1). */
    private void scaleInPlace(Tensor c, float factor) {
        float[] host = download(c);
        for (int i = 0; i < host.length; i++) {
            host[i] *= factor;
        }
        ctx.upload(host, ptr(c), host.length);
    }

    // y [N, C, ...] += bias[C]
    @Override
    public void biasAdd(Tensor y, Tensor bias) {
        int n = y.shape().n();
        int channels = y.shape().c();
        requireShape(bias, Shape.of(channels), "bias");
        if (y.size() == 0) {
            return;
        }
        kernels.biasAct(y.size(), channels, y.size() / ((long) n * channels), ptr(y), ptr(bias), false);
    }

    // dbias[C] += sum over n and positions of dy [N, C, ...]
    @Override
    public void biasBackward(Tensor dy, Tensor dbias) {
        int n = dy.shape().n();
        int channels = dy.shape().c();
        requireShape(dbias, Shape.of(channels), "bias gradient");
        if (dy.size() == 0) {
            return;
        }
        int inner = dy.size() / (n * channels);
        cudnn.biasBackward(new Dims(n, channels, inner, 1), ptr(dy), ptr(dbias));
    }

    // ---- activations ----

    @Override
    public void reluForward(Tensor x, Tensor y) {
        requireSameSize(x, y);
        kernels.reluForward(x.size(), ptr(x), ptr(y));
    }

    @Override
    public void reluBackward(Tensor y, Tensor dy, Tensor dx) {
        requireSameSize(y, dy);
        requireSameSize(y, dx);
        kernels.reluBackward(y.size(), ptr(y), ptr(dy), ptr(dx));
    }

    // x [N, F] -> y [N, F]
    @Override
    public void softmaxForward(Tensor x, Tensor y) {
        x.shape().requireRank(2);
        requireSameSize(x, y);
        if (x.size() == 0) {
            return;
        }
        cudnn.softmaxForward(new Dims(x.shape().n(), x.shape().c(), 1, 1), ptr(x), ptr(y));
    }

    @Override
    public void softmaxBackward(Tensor y, Tensor dy, Tensor dx) {
        y.shape().requireRank(2);
        requireSameSize(y, dy);
        requireSameSize(y, dx);
        if (y.size() == 0) {
            return;
        }
        cudnn.softmaxBackward(new Dims(y.shape().n(), y.shape().c(), 1, 1), ptr(y), ptr(dy), ptr(dx));
    }

    // ---- convolution ----

    // x [N, C, H, W], w [K, C, kh, kw], bias [K] -> y [N, K, OH, OW], then ReLU?
    @Override
    public void conv2dForward(Tensor x, Tensor w, Tensor bias, Tensor y, ConvSpec s, boolean relu) {
        ConvGeometry g = ConvGeometry.of(x.shape(), w.shape(), s);
        requireShape(y, g.outputShape(), "conv output");
        if (bias != null) {
            requireShape(bias, Shape.of(g.k()), "conv bias");
        }
        if (y.size() == 0) {
            return;
        }
        convolutions.forward(g, s, ptr(x), ptr(w), ptr(y));
        if (bias != null) {
            kernels.biasAct(y.size(), g.k(), (long) g.outH() * g.outW(), ptr(y), ptr(bias), relu);
        } else if (relu) {
            kernels.reluForward(y.size(), ptr(y), ptr(y));
        }
    }

    // dy [N, K, OH, OW], w [K, C, kh, kw] -> dx [N, C, H, W] (overwritten)
    @Override
    public void conv2dBackwardData(Tensor dy, Tensor w, Tensor dx, ConvSpec s) {
        ConvGeometry g = ConvGeometry.of(dx.shape(), w.shape(), s);
        requireShape(dy, g.outputShape(), "conv output gradient");
        if (dx.size() == 0) {
            return;
        }
        if (dy.size() == 0) {
            fill(dx, 0f);
            return;
        }
        convolutions.backwardData(g, s, ptr(dy), ptr(w), ptr(dx));
    }

    // x [N, C, H, W], dy [N, K, OH, OW] -> dw [K, C, kh, kw] (accumulates: beta = 1)
    @Override
    public void conv2dBackwardFilter(Tensor x, Tensor dy, Tensor dw, ConvSpec s) {
        ConvGeometry g = ConvGeometry.of(x.shape(), dw.shape(), s);
        requireShape(dy, g.outputShape(), "conv output gradient");
        if (dy.size() == 0 || dw.size() == 0) {
            return;
        }
        convolutions.backwardFilter(g, s, ptr(x), ptr(dy), ptr(dw));
    }

    // ---- pooling ----

    @Override
    public void maxPoolForward(Tensor x, Tensor y, PoolSpec s) {
        PoolGeometry g = PoolGeometry.of(x.shape(), s);
        requireShape(y, g.outputShape(), "max pool output");
        if (y.size() == 0) {
            return;
        }
        cudnn.poolForward(
                Cudnn.POOLING_MAX,
                new Dims(g.n(), g.c(), g.h(), g.w()),
                ptr(x),
                new Dims(g.n(), g.c(), g.outH(), g.outW()),
                ptr(y),
                s.poolH(),
                s.poolW(),
                s.strideH(),
                s.strideW());
    }

    @Override
    public void maxPoolBackward(Tensor x, Tensor y, Tensor dy, Tensor dx, PoolSpec s) {
        PoolGeometry g = PoolGeometry.of(x.shape(), s);
        requireShape(dy, g.outputShape(), "max pool output gradient");
        requireSameSize(x, dx);
        kernels.maxPoolBackward(
                g.planes(),
                g.h(),
                g.w(),
                g.outH(),
                g.outW(),
                s.poolH(),
                s.poolW(),
                s.strideH(),
                s.strideW(),
                ptr(x),
                ptr(dy),
                ptr(dx));
    }

    @Override
    public void avgPoolForward(Tensor x, Tensor y, PoolSpec s) {
        PoolGeometry g = PoolGeometry.of(x.shape(), s);
        requireShape(y, g.outputShape(), "average pool output");
        if (y.size() == 0) {
            return;
        }
        cudnn.poolForward(
                Cudnn.POOLING_AVERAGE,
                new Dims(g.n(), g.c(), g.h(), g.w()),
                ptr(x),
                new Dims(g.n(), g.c(), g.outH(), g.outW()),
                ptr(y),
                s.poolH(),
                s.poolW(),
                s.strideH(),
                s.strideW());
    }

    @Override
    public void avgPoolBackward(Tensor dy, Tensor dx, PoolSpec s) {
        PoolGeometry g = PoolGeometry.of(dx.shape(), s);
        requireShape(dy, g.outputShape(), "average pool output gradient");
        kernels.avgPoolBackward(
                g.planes(),
                g.h(),
                g.w(),
                g.outH(),
                g.outW(),
                s.poolH(),
                s.poolW(),
                s.strideH(),
                s.strideW(),
                ptr(dy),
                ptr(dx));
    }

    // ---- losses ----

    @Override
    public float binaryCrossEntropy(Tensor p, Tensor target, Tensor dp, float eps) {
        requireSameSize(p, target);
        if (dp != null) {
            requireSameSize(p, dp);
        }
        int count = p.size();
        kernels.bce(count, eps, ptr(p), ptr(target), dp == null ? null : ptr(dp), lossTotal);
        return (float) (ctx.downloadDouble(lossTotal) / count);
    }

    @Override
    public float categoricalCrossEntropy(Tensor p, Tensor target, Tensor dp, float eps) {
        requireSameSize(p, target);
        if (dp != null) {
            requireSameSize(p, dp);
        }
        int n = p.shape().n();
        kernels.cce(p.size(), n, eps, ptr(p), ptr(target), dp == null ? null : ptr(dp), lossTotal);
        return (float) (ctx.downloadDouble(lossTotal) / n);
    }

    // ---- optimizer ----

    @Override
    public void adamStep(Tensor w, Tensor g, Tensor m, Tensor v, float alpha, float beta1, float beta2, float epsilon) {
        requireSameSize(w, g);
        requireSameSize(w, m);
        requireSameSize(w, v);
        // (float) (1.0 - beta), computed on the host exactly as the reference does
        kernels.adam(
                w.size(), ptr(w), ptr(g), ptr(m), ptr(v), alpha, (float) (1.0 - beta1), (float) (1.0 - beta2), epsilon);
    }

    // ---- helpers ----

    /** Drops cached buffers, the cuDNN workspace and the padding buffer (they are made again when needed). */
    private void releaseScratch() {
        cudnn.releaseWorkspace();
        convolutions.releasePadding();
    }

    /** The device pointer of a tensor of this backend; a clear error for a tensor of another backend. */
    private CUdeviceptr ptr(Tensor t) {
        if (t.storage() instanceof CudaStorage s) {
            if (s.owner() != this) {
                throw new IllegalArgumentException("tensor " + t.shape() + " belongs to another CUDA backend");
            }
            return s.pointer();
        }
        throw new IllegalArgumentException(
                "tensor " + t.shape() + " lives in " + t.storage().getClass().getSimpleName()
                        + ", not on this GPU: pass tensors of the backend that runs the op");
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException(name() + " is closed");
        }
    }

    /** Waits for every queued op (for timing; downloads wait by themselves). */
    public void synchronize() {
        ctx.makeCurrent();
        ctx.synchronize("synchronize");
    }

    /**
     * Releases the cuDNN and cuBLAS handles, descriptors, workspaces, the kernels, and any tensor
     * memory still allocated (later use of those tensors fails with a clear error), then the context.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        ctx.makeCurrent();
        try {
            ctx.synchronize("close");
            releaseScratch();
            for (CudaStorage s : new ArrayList<>(live)) {
                ctx.free(s.pointer());
                s.markReleased();
            }
            live.clear();
            if (lossTotal != null) {
                ctx.free(lossTotal);
                lossTotal = null;
            }
        } finally {
            closed = true;
            convolutions.close();
            if (cublas != null) {
                cublas.close();
            }
            cudnn.close();
            kernels.close();
            ctx.close();
        }
    }

    @Override
    public String toString() {
        return name() + " " + ctx.gpu.name();
    }
}
