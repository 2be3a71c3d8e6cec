package dev.cxr.engine.backend.cpu.fast;

import static dev.cxr.engine.backend.cpu.fast.MicroKernel.MR;

import dev.cxr.engine.backend.ConvGeometry;
import dev.cxr.engine.backend.ConvSpec;
import dev.cxr.engine.backend.cpu.WorkerPool;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Convolution of any geometry as GEMM over tiles of im2col: a task builds the im2col columns of a
 * block of output pixels (never the whole image) straight into the kernel's packed layout, in steps
 * of {@link Gemm#KC} rows, and multiplies them with the packed weights. The forward pass fuses bias
 * and ReLU into writing the output; the two backward passes are the same GEMMs turned around.
 * Each output's sum runs over its reduction index in order, so results do not depend on threads.
 */
final class Im2colConv {
    private static final VectorSpecies<Float> S = Simd.S;
    /** Output pixels per forward task: 192, a whole number of kernel panels at every width. */
    static final int PIXELS = 192;
    /** Input channels per backward-data task (its dx planes are written by that task alone). */
    static final int CHANNELS = 32;
    /** Output channels per backward-filter task. */
    static final int FILTERS = 64;

    private Im2colConv() {}

    // x [N, C, H, W], w [K, C, kh, kw], bias [K] or null -> y [N, K, OH, OW], then ReLU if asked
    // y[n,k,p] = bias[k] + sum_q w[k,q] col[q,p], q = (c, ky, kx), p = (oy, ox)
    static void forward(
            WorkerPool pool,
            Scratch shared,
            Scratch[] scratch,
            float[] x,
            ConvGeometry g,
            ConvSpec s,
            float[] w,
            float[] bias,
            float[] y,
            boolean relu) {
        int crs = g.c() * g.kernelH() * g.kernelW();
        int kPanels = (g.k() + MR - 1) / MR;
        float[] wp = shared.floats(Scratch.SHARED_WEIGHTS, kPanels * MR * crs);
        packRows(w, g.k(), crs, 0, g.k(), wp);
        int pixels = g.outH() * g.outW();
        int pBlocks = (pixels + PIXELS - 1) / PIXELS;
        pool.run(g.n() * pBlocks, (worker, task) -> {
            int n = task / pBlocks;
            int p0 = (task % pBlocks) * PIXELS;
            forwardBlock(
                    scratch[worker], x, g, s, wp, kPanels, crs, bias, y, relu, n, p0, Math.min(p0 + PIXELS, pixels));
        });
    }

    private static void forwardBlock(
            Scratch sc,
            float[] x,
            ConvGeometry g,
            ConvSpec s,
            float[] wp,
            int kPanels,
            int crs,
            float[] bias,
            float[] y,
            boolean relu,
            int n,
            int p0,
            int p1) {
        int cols = p1 - p0;
        int ldacc = Gemm.paddedWidth(cols);
        float[] acc = sc.floats(Scratch.ACC, kPanels * MR * ldacc);
        float[] bp = sc.floats(Scratch.PACK_B, ldacc * Math.min(crs, Gemm.KC));
        int[] pos = pixelOrigins(sc, g, s, p0, cols);
        if (crs == 0) {
            Arrays.fill(acc, 0, kPanels * MR * ldacc, 0f);
        }
        for (int q0 = 0; q0 < crs; q0 += Gemm.KC) {
            int kc = Math.min(Gemm.KC, crs - q0);
            im2colPanels(x, g, s, n, pos, cols, q0, kc, bp);
            for (int kp = 0; kp < kPanels; kp++) {
                for (int jo = 0, off = 0; jo < cols; ) {
                    int wd = MicroKernel.widthFor(cols - jo);
                    MicroKernel.run(
                            wd, wp, (kp * crs + q0) * MR, bp, off, wd, kc, acc, kp * MR * ldacc + jo, ldacc, q0 > 0);
                    off += wd * kc;
                    jo += wd;
                }
            }
        }
        int pixels = g.outH() * g.outW();
        for (int k = 0; k < g.k(); k++) {
            int yi = (n * g.k() + k) * pixels + p0;
            int ai = k * ldacc;
            epilogue(acc, ai, bias == null ? 0f : bias[k], bias != null, relu, y, yi, cols);
        }
    }

    // y[yi + j] = acc[ai + j] (+ bias), then ReLU if asked (v < 0 -> 0: -0 and NaN pass, as in the
    // reference), for j < cols; one plain loop per combination so no vector crosses a branch
    private static void epilogue(
            float[] acc, int ai, float b, boolean bias, boolean relu, float[] y, int yi, int cols) {
        int j = 0;
        // with relu, vectors only where the JIT compiles compares (see Simd.MASKS); the scalar loop does the rest
        int end = relu && !Simd.MASKS ? 0 : cols - cols % S.length();
        FloatVector bv = FloatVector.broadcast(S, b);
        FloatVector zero = FloatVector.zero(S);
        if (bias && relu) {
            for (; j < end; j += S.length()) {
                FloatVector v = FloatVector.fromArray(S, acc, ai + j).add(bv);
                v.blend(zero, v.compare(VectorOperators.LT, 0f)).intoArray(y, yi + j);
            }
        } else if (bias) {
            for (; j < end; j += S.length()) {
                FloatVector.fromArray(S, acc, ai + j).add(bv).intoArray(y, yi + j);
            }
        } else if (relu) {
            for (; j < end; j += S.length()) {
                FloatVector v = FloatVector.fromArray(S, acc, ai + j);
                v.blend(zero, v.compare(VectorOperators.LT, 0f)).intoArray(y, yi + j);
            }
        } else {
            System.arraycopy(acc, ai, y, yi, end);
            j = end;
        }
        for (; j < cols; j++) {
            float v = acc[ai + j];
            if (bias) {
                v += b;
            }
            y[yi + j] = relu && v < 0f ? 0f : v;
        }
    }

    /** Top-left input position (may be negative: padding) of each output pixel p0 .. p0+cols-1. */
    private static int[] pixelOrigins(Scratch sc, ConvGeometry g, ConvSpec s, int p0, int cols) {
        int[] pos = sc.ints(Scratch.PACK_A, 2 * cols);
        int oy = p0 / g.outW();
        int ox = p0 % g.outW();
        for (int j = 0; j < cols; j++) {
            pos[2 * j] = oy * s.strideH() - s.padTop();
            pos[2 * j + 1] = ox * s.strideW() - s.padLeft();
            if (++ox == g.outW()) {
                ox = 0;
                oy++;
            }
        }
        return pos;
    }

    // col rows q0..q0+kc (q = (c, ky, kx)), columns = the block's pixels -> kernel panels (MicroKernel.widthFor)
    // pixels of one output row read one input row at a fixed stride: copied as runs, zero outside
    private static void im2colPanels(
            float[] x, ConvGeometry g, ConvSpec s, int n, int[] pos, int cols, int q0, int kc, float[] bp) {
        int khkw = g.kernelH() * g.kernelW();
        int sw = s.strideW();
        for (int jo = 0, off = 0; jo < cols; ) {
            int wd = MicroKernel.widthFor(cols - jo);
            int valid = Math.min(wd, cols - jo);
            for (int p = 0; p < kc; p++) {
                int q = q0 + p;
                int c = q / khkw;
                int ky = (q % khkw) / g.kernelW();
                int kx = q % g.kernelW();
                int plane = (n * g.c() + c) * g.h();
                int dst = off + p * wd;
                for (int j = 0; j < valid; ) {
                    // a run of pixels on one output row: same iy, ix stepping by the stride
                    int iy = pos[2 * (jo + j)] + ky;
                    int ix0 = pos[2 * (jo + j) + 1] + kx;
                    int run = 1;
                    while (j + run < valid && pos[2 * (jo + j + run)] == pos[2 * (jo + j)]) {
                        run++;
                    }
                    if (iy < 0 || iy >= g.h()) {
                        Arrays.fill(bp, dst + j, dst + j + run, 0f);
                    } else {
                        stridedCopy(x, (plane + iy) * g.w(), g.w(), ix0, sw, bp, dst + j, run);
                    }
                    j += run;
                }
                Arrays.fill(bp, dst + valid, dst + wd, 0f);
            }
            off += wd * kc;
            jo += wd;
        }
    }

    // out[dst + j] = x[rowBase + ix0 + j * step] for j < count, zero where the column is outside 0 .. width-1
    static void stridedCopy(float[] x, int rowBase, int width, int ix0, int step, float[] out, int dst, int count) {
        int lo = ix0 >= 0 ? 0 : Math.min(count, (-ix0 + step - 1) / step);
        int hi = ix0 >= width ? lo : Math.max(lo, Math.min(count, (width - 1 - ix0) / step + 1));
        Arrays.fill(out, dst, dst + lo, 0f);
        if (step == 1) {
            System.arraycopy(x, rowBase + ix0 + lo, out, dst + lo, hi - lo);
        } else {
            int src = rowBase + ix0 + lo * step;
            for (int j = lo; j < hi; j++, src += step) {
                out[dst + j] = x[src];
            }
        }
        Arrays.fill(out, dst + hi, dst + count, 0f);
    }

    /** Rows r0..r1 of a row-major [rows, depth] matrix -> panels of 8 rows, depth-major; missing rows zero. */
    static void packRows(float[] src, int rows, int depth, int r0, int r1, float[] dst) {
        int panels = (r1 - r0 + MR - 1) / MR;
        for (int rp = 0; rp < panels; rp++) {
            int base = rp * depth * MR;
            for (int r = 0; r < MR; r++) {
                int row = r0 + rp * MR + r;
                if (row >= r1 || row >= rows) {
                    for (int p = 0; p < depth; p++) {
                        dst[base + p * MR + r] = 0f;
                    }
                } else {
                    int si = row * depth;
                    for (int p = 0; p < depth; p++) {
                        dst[base + p * MR + r] = src[si + p];
                    }
                }
            }
        }
    }

    // dy [N, K, OH, OW], w [K, C, kh, kw] -> dx [N, C, H, W] (overwritten)
    // dcol[q,p] = sum_k w[k,q] dy[k,p], then every dcol[q,p] is added to the x position it was read from
    static void backwardData(
            WorkerPool pool, Scratch[] scratch, float[] dy, ConvGeometry g, ConvSpec s, float[] w, float[] dx) {
        int cBlocks = (g.c() + CHANNELS - 1) / CHANNELS;
        pool.run(g.n() * cBlocks, (worker, task) -> {
            int n = task / cBlocks;
            int c0 = (task % cBlocks) * CHANNELS;
            backwardDataBlock(scratch[worker], dy, g, s, w, dx, n, c0, Math.min(c0 + CHANNELS, g.c()));
        });
    }

    private static void backwardDataBlock(
            Scratch sc, float[] dy, ConvGeometry g, ConvSpec s, float[] w, float[] dx, int n, int c0, int c1) {
        int khkw = g.kernelH() * g.kernelW();
        int crs = g.c() * khkw;
        int rows = (c1 - c0) * khkw;
        int rowPanels = (rows + MR - 1) / MR;
        int kk = g.k();
        // A = w^T restricted to this block's rows: ap[(rp * K + k) * 8 + r] = w[k, c0*khkw + rp*8 + r]
        float[] ap = sc.floats(Scratch.PACK_A, rowPanels * MR * kk);
        for (int rp = 0; rp < rowPanels; rp++) {
            for (int k = 0; k < kk; k++) {
                int dst = (rp * kk + k) * MR;
                for (int r = 0; r < MR; r++) {
                    int q = rp * MR + r;
                    ap[dst + r] = q < rows ? w[k * crs + c0 * khkw + q] : 0f;
                }
            }
        }
        int planeSize = g.h() * g.w();
        Arrays.fill(dx, (n * g.c() + c0) * planeSize, (n * g.c() + c1) * planeSize, 0f);
        int pixels = g.outH() * g.outW();
        for (int p0 = 0; p0 < pixels; p0 += PIXELS) {
            int cols = Math.min(PIXELS, pixels - p0);
            int ldacc = Gemm.paddedWidth(cols);
            float[] acc = sc.floats(Scratch.ACC, rowPanels * MR * ldacc);
            float[] bp = sc.floats(Scratch.PACK_B, ldacc * Math.min(kk, Gemm.KC));
            if (kk == 0) {
                Arrays.fill(acc, 0, rowPanels * MR * ldacc, 0f);
            }
            for (int k0 = 0; k0 < kk; k0 += Gemm.KC) {
                int kc = Math.min(Gemm.KC, kk - k0);
                for (int jo = 0, off = 0; jo < cols; ) {
                    int wd = MicroKernel.widthFor(cols - jo);
                    int valid = Math.min(wd, cols - jo);
                    for (int p = 0; p < kc; p++) {
                        int dst = off + p * wd;
                        System.arraycopy(dy, (n * kk + k0 + p) * pixels + p0 + jo, bp, dst, valid);
                        Arrays.fill(bp, dst + valid, dst + wd, 0f);
                    }
                    off += wd * kc;
                    jo += wd;
                }
                for (int rp = 0; rp < rowPanels; rp++) {
                    for (int jo = 0, off = 0; jo < cols; ) {
                        int wd = MicroKernel.widthFor(cols - jo);
                        MicroKernel.run(
                                wd, ap, (rp * kk + k0) * MR, bp, off, wd, kc, acc, rp * MR * ldacc + jo, ldacc, k0 > 0);
                        off += wd * kc;
                        jo += wd;
                    }
                }
            }
            int[] pos = pixelOrigins(sc, g, s, p0, cols);
            for (int q = 0; q < rows; q++) {
                int c = c0 + q / khkw;
                int ky = (q % khkw) / g.kernelW();
                int kx = q % g.kernelW();
                int plane = (n * g.c() + c) * g.h();
                int ai = q * ldacc;
                for (int j = 0; j < cols; j++) {
                    int iy = pos[2 * j] + ky;
                    int ix = pos[2 * j + 1] + kx;
                    if (iy >= 0 && iy < g.h() && ix >= 0 && ix < g.w()) {
                        dx[(plane + iy) * g.w() + ix] += acc[ai + j];
                    }
                }
            }
        }
    }

    // x [N, C, H, W], dy [N, K, OH, OW] -> dw [K, C, kh, kw] (accumulates)
    // dw[k,q] += sum over n, p of dy[n,k,p] col[n,q,p]: GEMM with the pixels as the reduction
    static void backwardFilter(
            WorkerPool pool, Scratch[] scratch, float[] x, float[] dy, ConvGeometry g, ConvSpec s, float[] dw) {
        int crs = g.c() * g.kernelH() * g.kernelW();
        int kBlocks = (g.k() + FILTERS - 1) / FILTERS;
        int qBlocks = (crs + Gemm.NC - 1) / Gemm.NC;
        pool.run(kBlocks * qBlocks, (worker, task) -> {
            int k0 = (task / qBlocks) * FILTERS;
            int q0 = (task % qBlocks) * Gemm.NC;
            backwardFilterBlock(
                    scratch[worker],
                    x,
                    dy,
                    g,
                    s,
                    dw,
                    k0,
                    Math.min(k0 + FILTERS, g.k()),
                    q0,
                    Math.min(q0 + Gemm.NC, crs));
        });
    }

    private static void backwardFilterBlock(
            Scratch sc, float[] x, float[] dy, ConvGeometry g, ConvSpec s, float[] dw, int k0, int k1, int q0, int q1) {
        int khkw = g.kernelH() * g.kernelW();
        int crs = g.c() * khkw;
        int rows = k1 - k0;
        int rowPanels = (rows + MR - 1) / MR;
        int cols = q1 - q0;
        int ldacc = Gemm.paddedWidth(cols);
        float[] acc = sc.floats(Scratch.ACC, rowPanels * MR * ldacc);
        Arrays.fill(acc, 0, rowPanels * MR * ldacc, 0f);
        float[] ap = sc.floats(Scratch.PACK_A, rowPanels * MR * Gemm.KC);
        float[] bp = sc.floats(Scratch.PACK_B, ldacc * Gemm.KC);
        // for each column q of this block: its input channel plane offset, ky and kx
        int[] qc = sc.ints(Scratch.PACK_B, 3 * cols);
        for (int j = 0; j < cols; j++) {
            int q = q0 + j;
            qc[3 * j] = q / khkw;
            qc[3 * j + 1] = (q % khkw) / g.kernelW();
            qc[3 * j + 2] = q % g.kernelW();
        }
        int pixels = g.outH() * g.outW();
        for (int n = 0; n < g.n(); n++) {
            for (int p0 = 0; p0 < pixels; p0 += Gemm.KC) {
                int pc = Math.min(Gemm.KC, pixels - p0);
                // A = dy rows k0..k1, pixels p0..p0+pc, in panels of 8 rows
                for (int rp = 0; rp < rowPanels; rp++) {
                    for (int r = 0; r < MR; r++) {
                        int k = k0 + rp * MR + r;
                        int dst = rp * pc * MR + r;
                        if (k < k1) {
                            int src = (n * g.k() + k) * pixels + p0;
                            for (int p = 0; p < pc; p++) {
                                ap[dst + p * MR] = dy[src + p];
                            }
                        } else {
                            for (int p = 0; p < pc; p++) {
                                ap[dst + p * MR] = 0f;
                            }
                        }
                    }
                }
                // B = col^T: rows are pixels, columns are q = (c, ky, kx)
                int oy0 = p0 / g.outW();
                int ox0 = p0 % g.outW();
                for (int jo = 0, off = 0; jo < cols; ) {
                    int wd = MicroKernel.widthFor(cols - jo);
                    int valid = Math.min(wd, cols - jo);
                    int oy = oy0;
                    int ox = ox0;
                    for (int p = 0; p < pc; p++) {
                        int dst = off + p * wd;
                        int iy0 = oy * s.strideH() - s.padTop();
                        int ix0 = ox * s.strideW() - s.padLeft();
                        for (int j = 0; j < valid; j++) {
                            int t = 3 * (jo + j);
                            int iy = iy0 + qc[t + 1];
                            int ix = ix0 + qc[t + 2];
                            bp[dst + j] = iy >= 0 && iy < g.h() && ix >= 0 && ix < g.w()
                                    ? x[((n * g.c() + qc[t]) * g.h() + iy) * g.w() + ix]
                                    : 0f;
                        }
                        for (int j = valid; j < wd; j++) {
                            bp[dst + j] = 0f;
                        }
                        if (++ox == g.outW()) {
                            ox = 0;
                            oy++;
                        }
                    }
                    off += wd * pc;
                    jo += wd;
                }
                for (int rp = 0; rp < rowPanels; rp++) {
                    for (int jo = 0, off = 0; jo < cols; ) {
                        int wd = MicroKernel.widthFor(cols - jo);
                        MicroKernel.run(wd, ap, rp * pc * MR, bp, off, wd, pc, acc, rp * MR * ldacc + jo, ldacc, true);
                        off += wd * pc;
                        jo += wd;
                    }
                }
            }
        }
        for (int r = 0; r < rows; r++) {
            int di = (k0 + r) * crs + q0;
            int ai = r * ldacc;
            for (int j = 0; j < cols; j++) {
                dw[di + j] += acc[ai + j];
            }
        }
    }
}
