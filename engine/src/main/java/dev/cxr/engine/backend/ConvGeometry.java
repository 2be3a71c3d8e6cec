package dev.cxr.engine.backend;

import dev.cxr.engine.tensor.Shape;

/**
 * Sizes and NCHW / OIHW index math of one convolution, validated once: x [n, c, h, w],
 * weights [k, c, kh, kw], output [n, k, outH, outW].
 */
public record ConvGeometry(int n, int c, int h, int w, int k, int outH, int outW, int kernelH, int kernelW) {

    public static ConvGeometry of(Shape x, Shape weights, ConvSpec s) {
        x.requireRank(4);
        weights.requireRank(4);
        if (weights.dim(1) != x.c()) {
            throw new IllegalArgumentException("kernel " + weights + " expects " + weights.dim(1)
                    + " input channels, input " + x + " has " + x.c());
        }
        if (weights.dim(2) != s.kernelH() || weights.dim(3) != s.kernelW()) {
            throw new IllegalArgumentException("kernel " + weights + " does not match spec " + s);
        }
        return new ConvGeometry(
                x.n(), x.c(), x.h(), x.w(), weights.dim(0), s.outH(x.h()), s.outW(x.w()), s.kernelH(), s.kernelW());
    }

    public Shape outputShape() {
        return Shape.of(n, k, outH, outW);
    }

    public int xIndex(int in, int ic, int iy, int ix) {
        return ((in * c + ic) * h + iy) * w + ix;
    }

    public int wIndex(int ik, int ic, int ky, int kx) {
        return ((ik * c + ic) * kernelH + ky) * kernelW + kx;
    }

    public int yIndex(int in, int ik, int oy, int ox) {
        return ((in * k + ik) * outH + oy) * outW + ox;
    }

    /** Multiply-adds of one forward pass (each counts as 2 FLOPs in GFLOP/s figures). */
    public long multiplyAdds() {
        return (long) n * k * outH * outW * c * kernelH * kernelW;
    }
}
