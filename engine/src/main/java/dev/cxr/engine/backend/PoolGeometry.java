package dev.cxr.engine.backend;

import dev.cxr.engine.tensor.Shape;

/**
 * Sizes and index math of one pooling over NCHW, treating the n * c channel planes alike:
 * x plane [h, w] -> y plane [outH, outW].
 */
public record PoolGeometry(int n, int c, int h, int w, int outH, int outW) {

    public static PoolGeometry of(Shape x, PoolSpec p) {
        x.requireRank(4);
        return new PoolGeometry(x.n(), x.c(), x.h(), x.w(), p.outH(x.h()), p.outW(x.w()));
    }

    public int planes() {
        return n * c;
    }

    public Shape outputShape() {
        return Shape.of(n, c, outH, outW);
    }

    public int xIndex(int plane, int iy, int ix) {
        return (plane * h + iy) * w + ix;
    }

    public int yIndex(int plane, int oy, int ox) {
        return (plane * outH + oy) * outW + ox;
    }
}
