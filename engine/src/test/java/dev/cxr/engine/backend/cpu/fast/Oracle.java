package dev.cxr.engine.backend.cpu.fast;

import dev.cxr.engine.backend.Backend;
import dev.cxr.engine.backend.ConvSpec;
import dev.cxr.engine.tensor.Shape;
import dev.cxr.engine.tensor.Tensor;

/** Runs single ops on a backend from plain arrays, and measures differences, for the comparison tests. */
final class Oracle {
    private Oracle() {
    }

    static float[] conv(Backend b, Shape xs, float[] x, Shape ws, float[] w, float[] bias, ConvSpec s, boolean relu) {
        Shape ys = Shape.of(xs.n(), ws.dim(0), s.outH(xs.h()), s.outW(xs.w()));
        try (Tensor tx = b.upload(xs, x); Tensor tw = b.upload(ws, w);
             Tensor tb = bias == null ? null : b.upload(Shape.of(ws.dim(0)), bias);
             Tensor ty = b.upload(ys, filler(ys.size()))) {
            b.conv2dForward(tx, tw, tb, ty, s, relu);
            return b.download(ty);
        }
    }

    static float[] convBackwardData(Backend b, Shape xs, Shape ws, float[] w, float[] dy, ConvSpec s) {
        Shape ys = Shape.of(xs.n(), ws.dim(0), s.outH(xs.h()), s.outW(xs.w()));
        try (Tensor tw = b.upload(ws, w); Tensor tdy = b.upload(ys, dy); Tensor tdx = b.upload(xs, filler(xs.size()))) {
            b.conv2dBackwardData(tdy, tw, tdx, s);
            return b.download(tdx);
        }
    }

    /** dw starts from {@code dw0} (the op accumulates). */
    static float[] convBackwardFilter(Backend b, Shape xs, float[] x, Shape ws, float[] dw0, float[] dy, ConvSpec s) {
        Shape ys = Shape.of(xs.n(), ws.dim(0), s.outH(xs.h()), s.outW(xs.w()));
        try (Tensor tx = b.upload(xs, x); Tensor tdy = b.upload(ys, dy); Tensor tdw = b.upload(ws, dw0)) {
            b.conv2dBackwardFilter(tx, tdy, tdw, s);
            return b.download(tdw);
        }
    }

    static float[] gemm(Backend b, boolean ta, boolean tb, int m, int n, int k, float alpha, float[] a, float[] bm,
                        float beta, float[] c) {
        try (Tensor t1 = b.upload(Shape.of(a.length), a); Tensor t2 = b.upload(Shape.of(bm.length), bm);
             Tensor t3 = b.upload(Shape.of(c.length), c)) {
            b.gemm(ta, tb, m, n, k, alpha, t1, t2, beta, t3);
            return b.download(t3);
        }
    }

    /** Non-zero garbage for outputs, so an unwritten element shows. */
    static float[] filler(int n) {
        float[] f = new float[n];
        java.util.Arrays.fill(f, 12345f);
        return f;
    }

    /** max |a - b| / max |b|: the error relative to the reference's largest magnitude. */
    static double relativeToMax(float[] a, float[] b) {
        double maxRef = 0;
        double maxDiff = 0;
        for (int i = 0; i < a.length; i++) {
            maxRef = Math.max(maxRef, Math.abs(b[i]));
            double d = Math.abs((double) a[i] - b[i]);
            if (!(d <= maxDiff)) {
                maxDiff = d;
            }
        }
        return maxRef == 0 ? maxDiff : maxDiff / maxRef;
    }
}
