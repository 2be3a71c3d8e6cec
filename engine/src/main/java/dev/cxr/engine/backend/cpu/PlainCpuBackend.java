package dev.cxr.engine.backend.cpu;

import static dev.cxr.engine.backend.cpu.CpuTensors.data;
import static dev.cxr.engine.backend.cpu.CpuTensors.read;
import static dev.cxr.engine.backend.cpu.CpuTensors.requireShape;

import dev.cxr.engine.backend.ConvGeometry;
import dev.cxr.engine.backend.ConvSpec;
import dev.cxr.engine.tensor.Shape;
import dev.cxr.engine.tensor.Tensor;

/**
 * The CPU backend for where the fast one cannot run: a JVM without the Vector API module
 * ({@code --add-modules jdk.incubator.vector} missing), or one that compiles no SIMD vectors. It is
 * the reference backend with its two costly ops, convolution forward and GEMM, written as plain
 * loops spread over worker threads: each output sums the same products in the same order as the
 * reference, so results are bit for bit the reference's, and the inner loops (a row times a
 * scalar, added to a row) are ones the JIT vectorises by itself where it can. Several times slower
 * than the fast backend, many times faster than the reference.
 */
public final class PlainCpuBackend extends ReferenceBackend {
    /** Output floats per convolution task: one output channel's rows, kept in the first-level cache. */
    private static final int ROWS_FLOATS = 2048;
    /** Rows of C per GEMM task. */
    private static final int GEMM_ROWS = 16;

    private final WorkerPool pool;
    private final int threads;

    /** @param threads worker threads; 0 means one per available core */
    public PlainCpuBackend(int threads) {
        if (threads < 0) {
            throw new IllegalArgumentException("threads must be 0 (all cores) or positive, got " + threads);
        }
        this.threads = threads == 0 ? Runtime.getRuntime().availableProcessors() : threads;
        this.pool = new WorkerPool(this.threads);
    }

    @Override
    public String name() {
        return "cpu-plain";
    }

    public int threads() {
        return threads;
    }

    // C[m,n] = alpha * op(A)[m,k] . op(B)[k,n] + beta * C, each sum over p in order from zero, as the reference
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
        checkGemm(m, n, k, a, b, c);
        float[] av = read(a);
        float[] bv = read(b);
        float[] cv = data(c);
        // B as [k, n] rows, so that one step of every sum in a row of C is one row times a scalar
        float[] rows = bv;
        if (transB) {
            rows = new float[k * n];
            for (int j = 0; j < n; j++) {
                for (int p = 0; p < k; p++) {
                    rows[p * n + j] = bv[j * k + p];
                }
            }
        }
        float[] bRows = rows;
        int tasks = (m + GEMM_ROWS - 1) / GEMM_ROWS;
        pool.run(tasks, (worker, task) -> {
            float[] sum = new float[n];
            for (int i = task * GEMM_ROWS; i < Math.min(m, (task + 1) * GEMM_ROWS); i++) {
                java.util.Arrays.fill(sum, 0f);
                for (int p = 0; p < k; p++) {
                    float aip = transA ? av[p * m + i] : av[i * k + p];
                    int row = p * n;
                    for (int j = 0; j < n; j++) {
                        sum[j] += aip * bRows[row + j];
                    }
                }
                int ci = i * n;
                for (int j = 0; j < n; j++) {
                    float old = beta == 0f ? 0f : beta * cv[ci + j];
                    cv[ci + j] = alpha * sum[j] + old;
                }
            }
        });
    }

    // x [N, C, H, W], w [K, C, kh, kw], bias [K] -> y [N, K, OH, OW], then ReLU if asked
    // per output: sum over (c, ky, kx) in order from zero, then + bias: the reference's arithmetic
    @Override
    public void conv2dForward(Tensor x, Tensor w, Tensor bias, Tensor y, ConvSpec s, boolean relu) {
        ConvGeometry g = ConvGeometry.of(x.shape(), w.shape(), s);
        requireShape(y, g.outputShape(), "conv output");
        if (bias != null) {
            requireShape(bias, Shape.of(g.k()), "conv bias");
        }
        float[] xv = read(x);
        float[] wv = read(w);
        float[] bv = bias == null ? null : read(bias);
        float[] yv = data(y);
        int rowsPerTask = Math.max(1, ROWS_FLOATS / g.outW());
        int rowBlocks = (g.outH() + rowsPerTask - 1) / rowsPerTask;
        pool.run(g.n() * g.k() * rowBlocks, (worker, task) -> {
            int n = task / (g.k() * rowBlocks);
            int k = task / rowBlocks % g.k();
            int oy0 = task % rowBlocks * rowsPerTask;
            convRows(xv, wv, bv, yv, g, s, relu, n, k, oy0, Math.min(g.outH(), oy0 + rowsPerTask));
        });
    }

    private static void convRows(
            float[] x,
            float[] w,
            float[] bias,
            float[] y,
            ConvGeometry g,
            ConvSpec s,
            boolean relu,
            int n,
            int k,
            int oy0,
            int oy1) {
        int outW = g.outW();
        int sw = s.strideW();
        java.util.Arrays.fill(y, g.yIndex(n, k, oy0, 0), g.yIndex(n, k, oy1 - 1, 0) + outW, 0f);
        for (int c = 0; c < g.c(); c++) {
            for (int ky = 0; ky < s.kernelH(); ky++) {
                for (int kx = 0; kx < s.kernelW(); kx++) {
                    float wk = w[g.wIndex(k, c, ky, kx)];
                    // the outputs whose input column ox * sw - padLeft + kx lies inside the image
                    int shift = kx - s.padLeft();
                    int ox0 = shift >= 0 ? 0 : (-shift + sw - 1) / sw;
                    int ox1 = Math.min(outW, (g.w() - 1 - shift) / sw + 1);
                    if (g.w() - 1 - shift < 0) {
                        continue;
                    }
                    for (int oy = oy0; oy < oy1; oy++) {
                        int iy = oy * s.strideH() - s.padTop() + ky;
                        if (iy < 0 || iy >= g.h()) {
                            continue;
                        }
                        int yi = g.yIndex(n, k, oy, 0);
                        int xi = g.xIndex(n, c, iy, 0) + shift;
                        if (sw == 1) {
                            for (int ox = ox0; ox < ox1; ox++) {
                                y[yi + ox] += x[xi + ox] * wk;
                            }
                        } else {
                            for (int ox = ox0; ox < ox1; ox++) {
                                y[yi + ox] += x[xi + ox * sw] * wk;
                            }
                        }
                    }
                }
            }
        }
        for (int oy = oy0; oy < oy1; oy++) {
            int yi = g.yIndex(n, k, oy, 0);
            for (int ox = 0; ox < outW; ox++) {
                float v = y[yi + ox];
                if (bias != null) {
                    v += bias[k];
                }
                y[yi + ox] = relu && v < 0f ? 0f : v;
            }
        }
    }

    /** Stops the worker threads. */
    @Override
    public void close() {
        pool.close();
    }
}
