package dev.cxr.engine.backend.cpu;

import static dev.cxr.engine.backend.cpu.CpuTensors.data;
import static dev.cxr.engine.backend.cpu.CpuTensors.requireSameSize;
import static dev.cxr.engine.backend.cpu.CpuTensors.requireShape;

import dev.cxr.engine.backend.Backend;
import dev.cxr.engine.backend.ConvGeometry;
import dev.cxr.engine.backend.ConvSpec;
import dev.cxr.engine.backend.PoolGeometry;
import dev.cxr.engine.backend.PoolSpec;
import dev.cxr.engine.tensor.Shape;
import dev.cxr.engine.tensor.Tensor;
import java.util.Arrays;

/**
 * The reference CPU backend: plain single-threaded loops with the index math spelled out, written to
 * be read. It is the oracle every faster backend is tested against, so clarity beats speed here.
 * Results are deterministic: every reduction runs in a fixed order. {@link PlainCpuBackend}
 * replaces its two costly ops with faster loops of the same arithmetic.
 */
public class ReferenceBackend implements Backend {

    @Override
    public String name() {
        return "cpu-reference";
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
        return Arrays.copyOf(data(t), t.size());
    }

    @Override
    public void copy(Tensor src, Tensor dst) {
        requireSameSize(src, dst);
        System.arraycopy(data(src), 0, data(dst), 0, src.size());
    }

    @Override
    public void fill(Tensor t, float value) {
        Arrays.fill(data(t), 0, t.size(), value);
    }

    // ---- elementwise ----

    @Override
    public void add(Tensor src, Tensor dst) {
        requireSameSize(src, dst);
        float[] s = data(src);
        float[] d = data(dst);
        for (int i = 0; i < src.size(); i++) {
            d[i] += s[i];
        }
    }

    @Override
    public void mul(Tensor a, Tensor b, Tensor out) {
        requireSameSize(a, b);
        requireSameSize(a, out);
        float[] x = data(a);
        float[] y = data(b);
        float[] o = data(out);
        for (int i = 0; i < a.size(); i++) {
            o[i] = x[i] * y[i];
        }
    }

    // ---- linear algebra ----

    // C[m,n] = alpha * op(A)[m,k] . op(B)[k,n] + beta * C      (all row-major)
    // A is [m,k], or [k,m] when transA; B is [k,n], or [n,k] when transB
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
        float[] A = data(a);
        float[] B = data(b);
        float[] C = data(c);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float sum = 0f;
                for (int p = 0; p < k; p++) {
                    float aip = transA ? A[p * m + i] : A[i * k + p];
                    float bpj = transB ? B[j * k + p] : B[p * n + j];
                    sum += aip * bpj;
                }
                float old = beta == 0f ? 0f : beta * C[i * n + j];
                C[i * n + j] = alpha * sum + old;
            }
        }
    }

    static void checkGemm(int m, int n, int k, Tensor a, Tensor b, Tensor c) {
        if (a.size() != m * k || b.size() != k * n || c.size() != m * n) {
            throw new IllegalArgumentException(
                    "gemm m=" + m + " n=" + n + " k=" + k + " got A" + a.shape() + " B" + b.shape() + " C" + c.shape());
        }
    }

    // y [N, C, ...] += bias[C]
    @Override
    public void biasAdd(Tensor y, Tensor bias) {
        int n = y.shape().n();
        int channels = y.shape().c();
        int inner = y.size() / (n * channels);
        requireShape(bias, Shape.of(channels), "bias");
        float[] Y = data(y);
        float[] B = data(bias);
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < channels; c++) {
                int base = (i * channels + c) * inner;
                for (int s = 0; s < inner; s++) {
                    Y[base + s] += B[c];
                }
            }
        }
    }

    // dbias[C] += sum over n and spatial positions of dy [N, C, ...]
    @Override
    public void biasBackward(Tensor dy, Tensor dbias) {
        int n = dy.shape().n();
        int channels = dy.shape().c();
        int inner = dy.size() / (n * channels);
        requireShape(dbias, Shape.of(channels), "bias gradient");
        float[] D = data(dy);
        float[] G = data(dbias);
        for (int c = 0; c < channels; c++) {
            float sum = 0f;
            for (int i = 0; i < n; i++) {
                int base = (i * channels + c) * inner;
                for (int s = 0; s < inner; s++) {
                    sum += D[base + s];
                }
            }
            G[c] += sum;
        }
    }

    // ---- activations ----

    @Override
    public void reluForward(Tensor x, Tensor y) {
        requireSameSize(x, y);
        float[] X = data(x);
        float[] Y = data(y);
        for (int i = 0; i < x.size(); i++) {
            Y[i] = X[i] > 0f ? X[i] : 0f;
        }
    }

    @Override
    public void reluBackward(Tensor y, Tensor dy, Tensor dx) {
        requireSameSize(y, dy);
        requireSameSize(y, dx);
        float[] Y = data(y);
        float[] DY = data(dy);
        float[] DX = data(dx);
        for (int i = 0; i < y.size(); i++) {
            DX[i] = Y[i] > 0f ? DY[i] : 0f;
        }
    }

    // x [N, F] -> y [N, F], each row exp(x - max) / sum
    @Override
    public void softmaxForward(Tensor x, Tensor y) {
        x.shape().requireRank(2);
        requireSameSize(x, y);
        int n = x.shape().n();
        int f = x.shape().c();
        float[] X = data(x);
        float[] Y = data(y);
        for (int i = 0; i < n; i++) {
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < f; j++) {
                max = Math.max(max, X[i * f + j]);
            }
            float sum = 0f;
            for (int j = 0; j < f; j++) {
                float e = (float) Math.exp(X[i * f + j] - max);
                Y[i * f + j] = e;
                sum += e;
            }
            for (int j = 0; j < f; j++) {
                Y[i * f + j] /= sum;
            }
        }
    }

    // dx_j = y_j (dy_j - sum_i dy_i y_i), per row
    @Override
    public void softmaxBackward(Tensor y, Tensor dy, Tensor dx) {
        y.shape().requireRank(2);
        requireSameSize(y, dy);
        requireSameSize(y, dx);
        int n = y.shape().n();
        int f = y.shape().c();
        float[] Y = data(y);
        float[] DY = data(dy);
        float[] DX = data(dx);
        for (int i = 0; i < n; i++) {
            float dot = 0f;
            for (int j = 0; j < f; j++) {
                dot += DY[i * f + j] * Y[i * f + j];
            }
            for (int j = 0; j < f; j++) {
                DX[i * f + j] = Y[i * f + j] * (DY[i * f + j] - dot);
            }
        }
    }

    // ---- convolution ----

    // x [N, C, H, W], w [K, C, kh, kw], bias [K] -> y [N, K, OH, OW]
    // y[n,k,oy,ox] = bias[k] + sum_{c,ky,kx} x[n, c, oy*sh - padTop + ky, ox*sw - padLeft + kx] * w[k,c,ky,kx]
    // (positions outside the input read as zero)
    @Override
    public void conv2dForward(Tensor x, Tensor w, Tensor bias, Tensor y, ConvSpec s, boolean relu) {
        ConvGeometry g = ConvGeometry.of(x.shape(), w.shape(), s);
        requireShape(y, g.outputShape(), "conv output");
        if (bias != null) {
            requireShape(bias, Shape.of(g.k()), "conv bias");
        }
        float[] X = data(x);
        float[] Wt = data(w);
        float[] Y = data(y);
        float[] B = bias == null ? null : data(bias);
        for (int n = 0; n < g.n(); n++) {
            for (int k = 0; k < g.k(); k++) {
                for (int oy = 0; oy < g.outH(); oy++) {
                    for (int ox = 0; ox < g.outW(); ox++) {
                        float sum = 0f;
                        for (int c = 0; c < g.c(); c++) {
                            for (int ky = 0; ky < s.kernelH(); ky++) {
                                int iy = oy * s.strideH() - s.padTop() + ky;
                                if (iy < 0 || iy >= g.h()) {
                                    continue;
                                }
                                for (int kx = 0; kx < s.kernelW(); kx++) {
                                    int ix = ox * s.strideW() - s.padLeft() + kx;
                                    if (ix < 0 || ix >= g.w()) {
                                        continue;
                                    }
                                    sum += X[g.xIndex(n, c, iy, ix)] * Wt[g.wIndex(k, c, ky, kx)];
                                }
                            }
                        }
                        if (B != null) {
                            sum += B[k];
                        }
                        Y[g.yIndex(n, k, oy, ox)] = relu && sum < 0f ? 0f : sum;
                    }
                }
            }
        }
    }

    // dy [N, K, OH, OW], w [K, C, kh, kw] -> dx [N, C, H, W]
    // every x position receives dy * w from each output window that read it
    @Override
    public void conv2dBackwardData(Tensor dy, Tensor w, Tensor dx, ConvSpec s) {
        ConvGeometry g = ConvGeometry.of(dx.shape(), w.shape(), s);
        requireShape(dy, g.outputShape(), "conv output gradient");
        float[] DY = data(dy);
        float[] Wt = data(w);
        float[] DX = data(dx);
        Arrays.fill(DX, 0, dx.size(), 0f);
        for (int n = 0; n < g.n(); n++) {
            for (int k = 0; k < g.k(); k++) {
                for (int oy = 0; oy < g.outH(); oy++) {
                    for (int ox = 0; ox < g.outW(); ox++) {
                        float d = DY[g.yIndex(n, k, oy, ox)];
                        for (int c = 0; c < g.c(); c++) {
                            for (int ky = 0; ky < s.kernelH(); ky++) {
                                int iy = oy * s.strideH() - s.padTop() + ky;
                                if (iy < 0 || iy >= g.h()) {
                                    continue;
                                }
                                for (int kx = 0; kx < s.kernelW(); kx++) {
                                    int ix = ox * s.strideW() - s.padLeft() + kx;
                                    if (ix < 0 || ix >= g.w()) {
                                        continue;
                                    }
                                    DX[g.xIndex(n, c, iy, ix)] += d * Wt[g.wIndex(k, c, ky, kx)];
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    // x [N, C, H, W], dy [N, K, OH, OW] -> dw [K, C, kh, kw] (accumulates)
    // dw[k,c,ky,kx] += sum_{n,oy,ox} dy[n,k,oy,ox] * x[n, c, oy*sh - padTop + ky, ox*sw - padLeft + kx]
    @Override
    public void conv2dBackwardFilter(Tensor x, Tensor dy, Tensor dw, ConvSpec s) {
        ConvGeometry g = ConvGeometry.of(x.shape(), dw.shape(), s);
        requireShape(dy, g.outputShape(), "conv output gradient");
        float[] X = data(x);
        float[] DY = data(dy);
        float[] DW = data(dw);
        for (int k = 0; k < g.k(); k++) {
            for (int c = 0; c < g.c(); c++) {
                for (int ky = 0; ky < s.kernelH(); ky++) {
                    for (int kx = 0; kx < s.kernelW(); kx++) {
                        float sum = 0f;
                        for (int n = 0; n < g.n(); n++) {
                            for (int oy = 0; oy < g.outH(); oy++) {
                                int iy = oy * s.strideH() - s.padTop() + ky;
                                if (iy < 0 || iy >= g.h()) {
                                    continue;
                                }
                                for (int ox = 0; ox < g.outW(); ox++) {
                                    int ix = ox * s.strideW() - s.padLeft() + kx;
                                    if (ix < 0 || ix >= g.w()) {
                                        continue;
                                    }
                                    sum += DY[g.yIndex(n, k, oy, ox)] * X[g.xIndex(n, c, iy, ix)];
                                }
                            }
                        }
                        DW[g.wIndex(k, c, ky, kx)] += sum;
                    }
                }
            }
        }
    }

    // ---- pooling ----

    // x [N, C, H, W] -> y [N, C, OH, OW]; y = max over the window at (oy*sh, ox*sw)
    @Override
    public void maxPoolForward(Tensor x, Tensor y, PoolSpec p) {
        PoolGeometry g = PoolGeometry.of(x.shape(), p);
        requireShape(y, g.outputShape(), "max pool output");
        float[] X = data(x);
        float[] Y = data(y);
        for (int plane = 0; plane < g.planes(); plane++) {
            for (int oy = 0; oy < g.outH(); oy++) {
                for (int ox = 0; ox < g.outW(); ox++) {
                    Y[g.yIndex(plane, oy, ox)] = X[argmaxInWindow(X, g, p, plane, oy, ox)];
                }
            }
        }
    }

    // dx [N, C, H, W] = 0, then each window's dy goes to its first maximum (row-major within the window)
    @Override
    public void maxPoolBackward(Tensor x, Tensor y, Tensor dy, Tensor dx, PoolSpec p) {
        PoolGeometry g = PoolGeometry.of(x.shape(), p);
        requireShape(dy, g.outputShape(), "max pool output gradient");
        requireSameSize(x, dx);
        float[] X = data(x);
        float[] DY = data(dy);
        float[] DX = data(dx);
        Arrays.fill(DX, 0, dx.size(), 0f);
        for (int plane = 0; plane < g.planes(); plane++) {
            for (int oy = 0; oy < g.outH(); oy++) {
                for (int ox = 0; ox < g.outW(); ox++) {
                    DX[argmaxInWindow(X, g, p, plane, oy, ox)] += DY[g.yIndex(plane, oy, ox)];
                }
            }
        }
    }

    /** Flat index into x of the first maximum of a window; a NaN wins, as it propagates in TF. */
    private static int argmaxInWindow(float[] X, PoolGeometry g, PoolSpec p, int plane, int oy, int ox) {
        int best = g.xIndex(plane, oy * p.strideH(), ox * p.strideW());
        for (int py = 0; py < p.poolH(); py++) {
            for (int px = 0; px < p.poolW(); px++) {
                int idx = g.xIndex(plane, oy * p.strideH() + py, ox * p.strideW() + px);
                if (X[idx] > X[best] || (Float.isNaN(X[idx]) && !Float.isNaN(X[best]))) {
                    best = idx;
                }
            }
        }
        return best;
    }

    // x [N, C, H, W] -> y [N, C, OH, OW]; y = mean of the window ('valid': windows lie inside x)
    @Override
    public void avgPoolForward(Tensor x, Tensor y, PoolSpec p) {
        PoolGeometry g = PoolGeometry.of(x.shape(), p);
        requireShape(y, g.outputShape(), "average pool output");
        float[] X = data(x);
        float[] Y = data(y);
        float count = p.poolH() * p.poolW();
        for (int plane = 0; plane < g.planes(); plane++) {
            for (int oy = 0; oy < g.outH(); oy++) {
                for (int ox = 0; ox < g.outW(); ox++) {
                    float sum = 0f;
                    for (int py = 0; py < p.poolH(); py++) {
                        for (int px = 0; px < p.poolW(); px++) {
                            sum += X[g.xIndex(plane, oy * p.strideH() + py, ox * p.strideW() + px)];
                        }
                    }
                    Y[g.yIndex(plane, oy, ox)] = sum / count;
                }
            }
        }
    }

    // dx [N, C, H, W] = 0, then each window position gets dy / (poolH * poolW);
    // positions no window covers (rows/columns past the last window) keep gradient 0
    @Override
    public void avgPoolBackward(Tensor dy, Tensor dx, PoolSpec p) {
        PoolGeometry g = PoolGeometry.of(dx.shape(), p);
        requireShape(dy, g.outputShape(), "average pool output gradient");
        float[] DY = data(dy);
        float[] DX = data(dx);
        Arrays.fill(DX, 0, dx.size(), 0f);
        float count = p.poolH() * p.poolW();
        for (int plane = 0; plane < g.planes(); plane++) {
            for (int oy = 0; oy < g.outH(); oy++) {
                for (int ox = 0; ox < g.outW(); ox++) {
                    float share = DY[g.yIndex(plane, oy, ox)] / count;
                    for (int py = 0; py < p.poolH(); py++) {
                        for (int px = 0; px < p.poolW(); px++) {
                            DX[g.xIndex(plane, oy * p.strideH() + py, ox * p.strideW() + px)] += share;
                        }
                    }
                }
            }
        }
    }

    // ---- losses ----

    // p, target [N, F]; loss = mean_n mean_i -(y log pc + (1-y) log(1-pc)), pc = clip(p, eps, 1-eps)
    // dL/dp = -(y/pc - (1-y)/(1-pc)) / (N F) where eps < p < 1-eps, else 0
    @Override
    public float binaryCrossEntropy(Tensor p, Tensor target, Tensor dp, float eps) {
        requireSameSize(p, target);
        int n = p.shape().n();
        int f = p.size() / n;
        float[] P = data(p);
        float[] T = data(target);
        float[] D = dp == null ? null : data(dp);
        float hi = 1f - eps;
        double total = 0;
        for (int i = 0; i < n * f; i++) {
            float pc = Math.min(Math.max(P[i], eps), hi);
            float y = T[i];
            total += -(y * Math.log(pc) + (1 - y) * Math.log(1 - pc));
            if (D != null) {
                boolean clipped = P[i] < eps || P[i] > hi;
                D[i] = clipped ? 0f : (float) (-(y / pc - (1 - y) / (1 - pc)) / (n * f));
            }
        }
        return (float) (total / (n * f));
    }

    // p, target [N, F]; loss = mean_n -sum_i y_i log clip(p_i, eps, 1-eps)
    @Override
    public float categoricalCrossEntropy(Tensor p, Tensor target, Tensor dp, float eps) {
        requireSameSize(p, target);
        int n = p.shape().n();
        int f = p.size() / n;
        float[] P = data(p);
        float[] T = data(target);
        float[] D = dp == null ? null : data(dp);
        float hi = 1f - eps;
        double total = 0;
        for (int i = 0; i < n * f; i++) {
            float pc = Math.min(Math.max(P[i], eps), hi);
            total += -T[i] * Math.log(pc);
            if (D != null) {
                boolean clipped = P[i] < eps || P[i] > hi;
                D[i] = clipped ? 0f : -T[i] / pc / n;
            }
        }
        return (float) (total / n);
    }

    // ---- optimizer ----

    @Override
    public void adamStep(Tensor w, Tensor g, Tensor m, Tensor v, float alpha, float beta1, float beta2, float epsilon) {
        requireSameSize(w, g);
        requireSameSize(w, m);
        requireSameSize(w, v);
        float[] W = data(w);
        float[] G = data(g);
        float[] M = data(m);
        float[] V = data(v);
        float oneMinusBeta1 = (float) (1.0 - beta1);
        float oneMinusBeta2 = (float) (1.0 - beta2);
        for (int i = 0; i < w.size(); i++) {
            M[i] += (G[i] - M[i]) * oneMinusBeta1;
            V[i] += (G[i] * G[i] - V[i]) * oneMinusBeta2;
            W[i] -= (M[i] * alpha) / ((float) Math.sqrt(V[i]) + epsilon);
        }
    }
}
