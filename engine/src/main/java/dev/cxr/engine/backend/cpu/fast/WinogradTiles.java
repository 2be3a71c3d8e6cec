package dev.cxr.engine.backend.cpu.fast;

import static dev.cxr.engine.backend.cpu.fast.Winograd.LANES;

import dev.cxr.engine.backend.ConvGeometry;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Winograd tiles between the NCHW images and the tile-major buffers the transforms work on, LANES
 * tiles at a time (one per SIMD lane): gathering the tiles' input windows out of image rows, and
 * writing the output tiles back, with bias and ReLU, as whole rows where LANES neighbours share a
 * tile row, or pooled ({@link PooledTiles}).
 */
final class WinogradTiles {
    private static final VectorSpecies<Float> S = Simd.S;
    /** Floats of source a segment may need when its input rows are copied with zero padding: (LANES + 1) m at most. */
    static final int SEGMENT_SOURCE = 5 * LANES;

    private WinogradTiles() {}

    // ---- the steps on LANES tiles ----

    static int tmpSize(Winograd v) {
        return (v.points() + 2 * v.m * v.m) * LANES;
    }

    // tiles t .. t+LANES-1 of the tile buffer, one channel -> V at dst + xi * xiStride (xi = row * alpha + col)
    static void inputSegment(
            Winograd v, float[] tilesBuf, int stride, int t, float[] tmp, float[] vt, int dst, int xiStride) {
        v.inputTile(tilesBuf, t, stride, tmp, vt, dst, xiStride);
    }

    // M values of LANES tiles, one output channel k, at src + xi * xiStride -> A^T M A + bias, ReLU -> y
    // where[2 i], where[2 i + 1]: output offset (channel 0) and rows << 8 | columns of tile i of the task;
    // `row`: the LANES tiles are neighbours in one tile row (their outputs may be written as whole rows)
    static void outputSegment(
            WinogradPlan p,
            float[] mt,
            int src,
            int xiStride,
            float[] tmp,
            float[] y,
            int k,
            int[] where,
            int w0,
            int lanes,
            int firstTile,
            boolean row) {
        Winograd v = p.v();
        int m = v.m;
        int outOff = v.points() * LANES;
        v.outputTile(mt, src, xiStride, tmp, outOff);
        // bias, then ReLU (v < 0 -> 0, as the reference: -0 and NaN pass), in two plain loops: a vector
        // that one branch or the other may have replaced would not stay in a register on JDK 17
        if (p.bias() != null) {
            FloatVector b = FloatVector.broadcast(S, p.bias()[k]);
            for (int i = 0; i < m * m; i++) {
                int o = outOff + i * LANES;
                FloatVector.fromArray(S, tmp, o).add(b).intoArray(tmp, o);
            }
        }
        if (p.relu() && Simd.MASKS) {
            FloatVector zero = FloatVector.zero(S);
            for (int i = 0; i < m * m; i++) {
                int o = outOff + i * LANES;
                FloatVector val = FloatVector.fromArray(S, tmp, o);
                val.blend(zero, val.compare(VectorOperators.LT, 0f)).intoArray(tmp, o);
            }
        } else if (p.relu()) {
            for (int i = outOff; i < outOff + m * m * LANES; i++) {
                tmp[i] = tmp[i] < 0f ? 0f : tmp[i];
            }
        }
        if (p.pooled()) {
            PooledTiles.write(p, tmp, outOff, y, k, firstTile, lanes);
            return;
        }
        ConvGeometry g = p.g();
        int planeOffset = k * g.outH() * g.outW();
        int full = m << 8 | m;
        // LANES whole tiles side by side: each output row is LANES m contiguous values, written straight
        // into y; otherwise the same rows are staged in tmp and copied run by run of neighbouring tiles
        boolean direct = row && where[2 * w0 + 1] == full && where[2 * (w0 + LANES - 1) + 1] == full;
        int staged = outOff + m * m * LANES;
        float[] target = direct ? y : tmp;
        int start = direct ? where[2 * w0] + planeOffset : staged;
        int rowStep = direct ? g.outW() : m * LANES;
        for (int r = 0; r < m; r++) {
            TileShuffles.interleave(m, tmp, outOff + r * m * LANES, target, start + r * rowStep);
        }
        if (direct) {
            return;
        }
        for (int l0 = 0; l0 < lanes; ) {
            int base = where[2 * (w0 + l0)];
            int rows = where[2 * (w0 + l0) + 1] >> 8;
            int l1 = l0 + 1;
            while (l1 < lanes
                    && where[2 * (w0 + l1)] == base + (l1 - l0) * m
                    && where[2 * (w0 + l1) + 1] >> 8 == rows) {
                l1++;
            }
            int length = (l1 - l0 - 1) * m + (where[2 * (w0 + l1 - 1) + 1] & 0xff);
            for (int r = 0; r < rows; r++) {
                System.arraycopy(tmp, staged + r * m * LANES + l0 * m, y, base + planeOffset + r * g.outW(), length);
            }
            l0 = l1;
        }
    }

    /** For tiles first .. first+count-1: output offset (channel 0) and rows << 8 | columns inside the image. */
    static int[] tilePositions(Scratch sc, WinogradPlan p, int first, int count) {
        int m = p.v().m;
        ConvGeometry g = p.g();
        int[] where = sc.ints(Scratch.WINO_TMP, 2 * count);
        int tpi = p.tilesPerImage();
        int planeSize = g.outH() * g.outW();
        for (int i = 0; i < count; i++) {
            int tile = first + i;
            int n = tile / tpi;
            int oy = ((tile % tpi) / p.tilesW()) * m;
            int ox = (tile % p.tilesW()) * m;
            where[2 * i] = n * g.k() * planeSize + oy * g.outW() + ox;
            where[2 * i + 1] = Math.min(m, g.outH() - oy) << 8 | Math.min(m, g.outW() - ox);
        }
        return where;
    }

    // input windows of `span` tiles from tile `from` (global numbering), channel c ->
    // buf[(r * alpha + s) * stride + t] = x at window row r, column s (zero outside the image);
    // LANES neighbouring tiles at a time, their columns split out of the image row by lane shuffles
    // (the last vector of a run may write up to LANES-1 tiles past it: the next run, or the row's slack,
    // takes them). buf needs SEGMENT_SOURCE floats after its alpha^2 rows.
    static void gatherTiles(WinogradPlan p, float[] x, int c, int from, int span, float[] buf, int stride) {
        Winograd v = p.v();
        int m = v.m;
        int alpha = v.alpha;
        ConvGeometry g = p.g();
        int tpi = p.tilesPerImage();
        int source = v.points() * stride;
        int reach = (LANES + 1) * m;
        for (int t = 0; t < span; ) {
            int tile = from + t;
            if (tile >= p.tiles()) {
                for (int rs = 0; rs < alpha * alpha; rs++) {
                    Arrays.fill(buf, rs * stride + t, rs * stride + span, 0f);
                }
                return;
            }
            int n = tile / tpi;
            int ti = (tile % tpi) / p.tilesW();
            int tj0 = tile % p.tilesW();
            int run = Math.min(p.tilesW() - tj0, span - t);
            int plane = (n * g.c() + c) * g.h();
            for (int r = 0; r < alpha; r++) {
                int iy = ti * m + r - p.s().padTop();
                if (iy < 0 || iy >= g.h()) {
                    for (int s = 0; s < alpha; s++) {
                        int dst = (r * alpha + s) * stride + t;
                        Arrays.fill(buf, dst, dst + run, 0f);
                    }
                    continue;
                }
                int rowBase = (plane + iy) * g.w();
                for (int j = 0; j < run; j += LANES) {
                    int col = (tj0 + j) * m - p.s().padLeft();
                    float[] a = x;
                    int o = rowBase + col;
                    if (col < 0 || col + reach > g.w()) {
                        // near the image's edge: copy the columns this vector needs, zero outside
                        Im2colConv.stridedCopy(x, rowBase, g.w(), col, 1, buf, source, reach);
                        a = buf;
                        o = source;
                    }
                    int dst = r * alpha * stride + t + j;
                    // columns s < m of the LANES tiles, then columns s >= m (those of the next tile)
                    for (int part = 0; part < 2; part++) {
                        TileShuffles.split(
                                m, a, o + part * m, part == 0 ? m : alpha - m, buf, dst + part * m * stride, stride);
                    }
                }
            }
            t += run;
        }
    }

    /**
     * A row stride of at least {@code floats} that is an odd number of 64-byte cache lines: rows a
     * power-of-two distance apart would all fall into the same L1 set (48 KB, 12 ways) and evict
     * each other when a transform writes one vector into each of alpha^2 rows.
     */
    static int skew(int floats) {
        int lines = (floats + Simd.LINE - 1) / Simd.LINE;
        return (lines | 1) * Simd.LINE;
    }

    static int roundUp(int n, int step) {
        return (n + step - 1) / step * step;
    }
}
