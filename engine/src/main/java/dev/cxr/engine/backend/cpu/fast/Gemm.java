package dev.cxr.engine.backend.cpu.fast;

import static dev.cxr.engine.backend.cpu.fast.MicroKernel.MR;

import dev.cxr.engine.backend.cpu.WorkerPool;

/**
 * Row-major SGEMM, C = alpha * op(A) op(B) + beta * C, cache-blocked and parallel: C is cut into
 * MC x NC blocks (one task each); a task walks k in KC steps, packs the A and B pieces it needs into
 * its worker's buffers and runs {@link MicroKernel} over them, keeping the block's sums in a buffer
 * until the last step. Each C element is the sum of one multiply-add chain per KC step, the steps
 * added in order: fixed by the shapes, whatever the number of threads.
 */
final class Gemm {
    /** Rows of C per task: about 128, a multiple of {@link MicroKernel#MR}. */
    static final int MC = 128 / MR * MR;
    /** Columns of C per task: 192, a multiple of every {@link MicroKernel#NR} (48, 24, 16, 12 or 8). */
    static final int NC = 192;
    /** Depth of one packed step: the A and B pieces of a step stay in L1/L2. */
    static final int KC = 256;

    private Gemm() {}

    // C[m,n] = alpha * op(A)[m,k] . op(B)[k,n] + beta * C
    // A is [m,k] or, with transA, [k,m]; B is [k,n] or, with transB, [n,k]
    static void run(
            WorkerPool pool,
            Scratch[] scratch,
            boolean transA,
            boolean transB,
            int m,
            int n,
            int k,
            float alpha,
            float[] a,
            float[] b,
            float beta,
            float[] c) {
        int rowBlocks = (m + MC - 1) / MC;
        int colBlocks = (n + NC - 1) / NC;
        pool.run(rowBlocks * colBlocks, (worker, task) -> {
            int i0 = (task / colBlocks) * MC;
            int j0 = (task % colBlocks) * NC;
            block(
                    scratch[worker],
                    transA,
                    transB,
                    m,
                    n,
                    k,
                    alpha,
                    a,
                    b,
                    beta,
                    c,
                    i0,
                    Math.min(i0 + MC, m),
                    j0,
                    Math.min(j0 + NC, n));
        });
    }

    private static void block(
            Scratch s,
            boolean transA,
            boolean transB,
            int m,
            int n,
            int k,
            float alpha,
            float[] a,
            float[] b,
            float beta,
            float[] c,
            int i0,
            int i1,
            int j0,
            int j1) {
        int rows = i1 - i0;
        int cols = j1 - j0;
        int rowPanels = (rows + MR - 1) / MR;
        int ldacc = paddedWidth(cols);
        float[] acc = s.floats(Scratch.ACC, rowPanels * MR * ldacc);
        if (k == 0) {
            java.util.Arrays.fill(acc, 0, rowPanels * MR * ldacc, 0f);
        }
        float[] ap = s.floats(Scratch.PACK_A, rowPanels * MR * Math.min(k, KC));
        float[] bp = s.floats(Scratch.PACK_B, ldacc * Math.min(k, KC));
        for (int p0 = 0; p0 < k; p0 += KC) {
            int kc = Math.min(KC, k - p0);
            packA(transA, m, k, a, i0, i1, p0, kc, ap);
            packB(transB, n, k, b, j0, j1, p0, kc, bp);
            for (int rp = 0; rp < rowPanels; rp++) {
                for (int jo = 0, off = 0; jo < cols; ) {
                    int w = MicroKernel.widthFor(cols - jo);
                    MicroKernel.run(w, ap, rp * kc * MR, bp, off, w, kc, acc, rp * MR * ldacc + jo, ldacc, p0 > 0);
                    off += w * kc;
                    jo += w;
                }
            }
        }
        for (int r = 0; r < rows; r++) {
            int ci = (i0 + r) * n + j0;
            int ai = r * ldacc;
            if (beta == 0f) {
                for (int j = 0; j < cols; j++) {
                    c[ci + j] = alpha * acc[ai + j];
                }
            } else {
                for (int j = 0; j < cols; j++) {
                    c[ci + j] = alpha * acc[ai + j] + beta * c[ci + j];
                }
            }
        }
    }

    /** Columns rounded up the way the kernels cover them: NR-wide panels, then one narrower kernel. */
    static int paddedWidth(int cols) {
        int w = 0;
        while (w < cols) {
            w += MicroKernel.widthFor(cols - w);
        }
        return w;
    }

    // op(A) rows i0..i1, depth p0..p0+kc -> ap[(panel * kc + p) * 8 + r], rows past i1 zero
    private static void packA(boolean transA, int m, int k, float[] a, int i0, int i1, int p0, int kc, float[] ap) {
        int rowPanels = (i1 - i0 + MR - 1) / MR;
        for (int rp = 0; rp < rowPanels; rp++) {
            int base = rp * kc * MR;
            for (int r = 0; r < MR; r++) {
                int i = i0 + rp * MR + r;
                if (i >= i1) {
                    for (int p = 0; p < kc; p++) {
                        ap[base + p * MR + r] = 0f;
                    }
                } else if (transA) {
                    for (int p = 0; p < kc; p++) {
                        ap[base + p * MR + r] = a[(p0 + p) * m + i];
                    }
                } else {
                    int row = i * k + p0;
                    for (int p = 0; p < kc; p++) {
                        ap[base + p * MR + r] = a[row + p];
                    }
                }
            }
        }
    }

    // op(B) depth p0..p0+kc, columns j0..j1 -> panels of width w: bp[panelOff + p * w + j], columns past j1 zero
    private static void packB(boolean transB, int n, int k, float[] b, int j0, int j1, int p0, int kc, float[] bp) {
        int cols = j1 - j0;
        for (int jo = 0, off = 0; jo < cols; ) {
            int w = MicroKernel.widthFor(cols - jo);
            int valid = Math.min(w, cols - jo);
            for (int p = 0; p < kc; p++) {
                int dst = off + p * w;
                if (transB) {
                    for (int j = 0; j < valid; j++) {
                        bp[dst + j] = b[(j0 + jo + j) * k + p0 + p];
                    }
                } else {
                    System.arraycopy(b, (p0 + p) * n + j0 + jo, bp, dst, valid);
                }
                for (int j = valid; j < w; j++) {
                    bp[dst + j] = 0f;
                }
            }
            off += w * kc;
            jo += w;
        }
    }
}
