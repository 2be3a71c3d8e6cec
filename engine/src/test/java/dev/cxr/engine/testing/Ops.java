package dev.cxr.engine.testing;

import dev.cxr.engine.backend.Backend;
import dev.cxr.engine.backend.ConvSpec;
import dev.cxr.engine.backend.PoolSpec;
import dev.cxr.engine.tensor.Shape;
import dev.cxr.engine.tensor.Tensor;
import java.util.Arrays;

/**
 * Single ops of any backend run from plain arrays, for the tests that compare backends: inputs are
 * uploaded, outputs start filled with NaN (so an element an op forgets to write shows), the result
 * is downloaded and every tensor closed.
 */
public final class Ops {
    private Ops() {}

    /** {@code n} NaNs: the starting content of an output. */
    public static float[] sentinel(int n) {
        float[] f = new float[n];
        Arrays.fill(f, Float.NaN);
        return f;
    }

    /** The output shape of a convolution of {@code xs} by kernels {@code ws}. */
    public static Shape convOutput(Shape xs, Shape ws, ConvSpec s) {
        return Shape.of(xs.n(), ws.dim(0), s.outH(xs.h()), s.outW(xs.w()));
    }

    /** y = conv(x, w) + bias (null: none), ReLU when {@code relu}. */
    public static float[] conv(
            Backend b, Shape xs, float[] x, Shape ws, float[] w, float[] bias, ConvSpec s, boolean relu) {
        Shape ys = convOutput(xs, ws, s);
        try (Tensor tx = b.upload(xs, x);
                Tensor tw = b.upload(ws, w);
                Tensor tb = bias == null ? null : b.upload(Shape.of(ws.dim(0)), bias);
                Tensor ty = b.upload(ys, sentinel(ys.size()))) {
            b.conv2dForward(tx, tw, tb, ty, s, relu);
            return b.download(ty);
        }
    }

    /** The backend's fused convolution + max pool ({@link Backend#conv2dMaxPoolForward}). */
    public static float[] convMaxPool(
            Backend b,
            Shape xs,
            float[] x,
            Shape ws,
            float[] w,
            float[] bias,
            ConvSpec s,
            boolean relu,
            PoolSpec pool) {
        Shape ys = convOutput(xs, ws, s);
        Shape ps = Shape.of(ys.n(), ys.c(), pool.outH(ys.h()), pool.outW(ys.w()));
        try (Tensor tx = b.upload(xs, x);
                Tensor tw = b.upload(ws, w);
                Tensor tb = bias == null ? null : b.upload(Shape.of(ws.dim(0)), bias);
                Tensor tp = b.upload(ps, sentinel(ps.size()))) {
            b.conv2dMaxPoolForward(tx, tw, tb, tp, s, relu, pool);
            return b.download(tp);
        }
    }

    /** The max pool of {@code x} [N, C, H, W]. */
    public static float[] maxPool(Backend b, Shape xs, float[] x, PoolSpec p) {
        Shape ys = Shape.of(xs.n(), xs.c(), p.outH(xs.h()), p.outW(xs.w()));
        try (Tensor tx = b.upload(xs, x);
                Tensor ty = b.upload(ys, sentinel(ys.size()))) {
            b.maxPoolForward(tx, ty, p);
            return b.download(ty);
        }
    }

    /** dx of a convolution (overwritten). */
    public static float[] convBackwardData(Backend b, Shape xs, Shape ws, float[] w, float[] dy, ConvSpec s) {
        try (Tensor tw = b.upload(ws, w);
                Tensor tdy = b.upload(convOutput(xs, ws, s), dy);
                Tensor tdx = b.upload(xs, sentinel(xs.size()))) {
            b.conv2dBackwardData(tdy, tw, tdx, s);
            return b.download(tdx);
        }
    }

    /** dw of a convolution, accumulated onto {@code dw0}. */
    public static float[] convBackwardFilter(
            Backend b, Shape xs, float[] x, Shape ws, float[] dw0, float[] dy, ConvSpec s) {
        try (Tensor tx = b.upload(xs, x);
                Tensor tdy = b.upload(convOutput(xs, ws, s), dy);
                Tensor tdw = b.upload(ws, dw0)) {
            b.conv2dBackwardFilter(tx, tdy, tdw, s);
            return b.download(tdw);
        }
    }

    /** C = alpha op(A) op(B) + beta C, from {@code c} as C's start. */
    public static float[] gemm(
            Backend b,
            boolean ta,
            boolean tb,
            int m,
            int n,
            int k,
            float alpha,
            float[] a,
            float[] bm,
            float beta,
            float[] c) {
        try (Tensor t1 = b.upload(Shape.of(a.length), a);
                Tensor t2 = b.upload(Shape.of(bm.length), bm);
                Tensor t3 = b.upload(Shape.of(c.length), c)) {
            b.gemm(ta, tb, m, n, k, alpha, t1, t2, beta, t3);
            return b.download(t3);
        }
    }

    /** The concatenation of the arrays: several outputs of one case compared as one. */
    public static float[] concat(float[]... parts) {
        int n = 0;
        for (float[] p : parts) {
            n += p.length;
        }
        float[] out = new float[n];
        int at = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
