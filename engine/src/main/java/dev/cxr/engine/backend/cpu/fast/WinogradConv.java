package dev.cxr.engine.backend.cpu.fast;

import static dev.cxr.engine.backend.cpu.fast.MicroKernel.MR;
import static dev.cxr.engine.backend.cpu.fast.Winograd.LANES;

import dev.cxr.engine.backend.ConvGeometry;
import dev.cxr.engine.backend.ConvSpec;
import dev.cxr.engine.backend.cpu.WorkerPool;

/**
 * Forward 3x3 stride-1 convolution by Winograd F(m x m, 3 x 3) (see {@link Winograd}), for any
 * zero padding. The output is cut into m x m tiles, numbered over the whole batch and taken in
 * blocks. Three steps turn a block of tiles into output:
 * <ol>
 *   <li>input transform: V = B^T d B per tile and input channel, one tile per SIMD lane (the
 *       tiles' input windows are first copied into a small tile-major buffer);
 *   <li>alpha^2 independent GEMMs M[xi] = U[xi] . V[xi], U the cached transformed kernels;
 *   <li>output transform A^T M A, plus bias and ReLU, written into the NCHW output.
 * </ol>
 * Two schedules, chosen by size. When the transformed kernels are small (few channels, large
 * images: VGG16's first blocks), each task takes one block of 32 tiles through all three steps
 * while V and M stay in its core's cache. When they are large (many channels, small images), the
 * kernels are what must stay in cache: blocks of tiles (as many as the widest GEMM kernel has
 * columns) are gathered into groups and each step runs over the whole group before the next, with
 * one GEMM task per (point, about 64 output channels).
 *
 * <p>{@link WinogradTiles} moves tiles between the images and the tile buffers (with
 * {@link TileShuffles}, and {@link PooledTiles} where a max pool is fused); {@link Winograd} holds the
 * transforms; {@link WinogradPlan} the sizes of a call.
 *
 * <p>Tasks are cut by the problem's shape alone and every value's arithmetic is fixed (the GEMM
 * sums over input channels in order, one multiply-add chain), so results are the same for any
 * number of threads, either schedule and any batch size; the SIMD width ({@link Simd}) changes how
 * many tiles share a vector, not what is computed for each.
 */
final class WinogradConv {
    /**
     * Which schedule a convolution takes and how large the grouped schedule's groups are. Fixed per
     * backend; the defaults suit VGG16 on current CPUs, and tests shrink both so that small shapes
     * reach the grouped schedule, its group boundaries and its last partial group.
     *
     * @param fusedKernelLimit transformed kernels up to this many floats go with the fused schedule
     *                         (they stay in cache)
     * @param groupBudget      floats of transformed input plus GEMM output per group (grouped schedule)
     * @param maxGroupBlocks   at most this many blocks of tiles per group
     */
    record Tuning(int fusedKernelLimit, long groupBudget, int maxGroupBlocks) {
        static final Tuning DEFAULT = new Tuning(1 << 20, 1 << 22, Integer.MAX_VALUE);
    }
    /** Tiles per block in the fused schedule. */
    static final int FUSED_BLOCK = 32;
    /** Output channels per pass of the fused schedule (bounds its M buffer): about 64, whole kernel panels. */
    static final int FUSED_ROWS = 64 / MR * MR;
    /** Tiles per block in the grouped schedule: the widest GEMM kernel (48 tiles at AVX-512, 16 at AVX2). */
    static final int BLOCK = MicroKernel.NR;
    /** Output channels per GEMM task (grouped): about 64, whole kernel panels. */
    private static final int GEMM_ROWS = 64 / MR * MR;
    /** Input channels per input-transform task (grouped). */
    private static final int INPUT_CHANNELS = 8;
    /** Output channels per output-transform task (grouped). */
    private static final int OUTPUT_CHANNELS = 8;
    /** Tile blocks per input- or output-transform task (grouped). */
    private static final int TRANSFORM_BLOCKS = 2;

    private WinogradConv() {}

    /** Whether Winograd F(m x m, 3 x 3) computes this convolution: 3x3 kernel, stride 1. */
    static boolean applies(ConvSpec s) {
        return s.kernelH() == 3 && s.kernelW() == 3 && s.strideH() == 1 && s.strideW() == 1;
    }

    /** Floats of the packed transformed kernels for K output and C input channels. */
    static int kernelSize(Winograd v, int k, int c) {
        return v.points() * ((k + MR - 1) / MR) * MR * c;
    }

    // x [N, C, H, W], u = transformed w [K, C, 3, 3], bias [K] or null -> y [N, K, OH, OW], then ReLU if asked
    static void forward(
            WorkerPool pool,
            Scratch shared,
            Scratch[] scratch,
            Tuning tuning,
            float[] x,
            ConvGeometry g,
            ConvSpec s,
            Winograd v,
            float[] u,
            float[] bias,
            float[] y,
            boolean relu) {
        forward(pool, shared, scratch, tuning, x, g, s, v, u, bias, y, relu, false);
    }

    // the same, and with `pooled` a 2x2 stride-2 max pool of it: y [N, K, OH / 2, OW / 2] (m is even,
    // so every tile starts on a pooling window; each tile's windows are pooled as the tile is written)
    static void forward(
            WorkerPool pool,
            Scratch shared,
            Scratch[] scratch,
            Tuning tuning,
            float[] x,
            ConvGeometry g,
            ConvSpec s,
            Winograd v,
            float[] u,
            float[] bias,
            float[] y,
            boolean relu,
            boolean pooled) {
        int tilesH = (g.outH() + v.m - 1) / v.m;
        int tilesW = (g.outW() + v.m - 1) / v.m;
        int kPadded = (g.k() + MR - 1) / MR * MR;
        WinogradPlan p =
                new WinogradPlan(g, s, v, u, bias, relu, pooled, tilesH, tilesW, g.n() * tilesH * tilesW, kPadded);
        if (u.length <= tuning.fusedKernelLimit()) {
            int blocks = (p.tiles() + FUSED_BLOCK - 1) / FUSED_BLOCK;
            pool.run(blocks, (worker, block) -> fusedBlock(scratch[worker], p, x, y, block));
        } else {
            grouped(pool, shared, scratch, tuning, p, x, y);
        }
    }

    // ---- fused schedule: one block of tiles through all three steps ----

    private static void fusedBlock(Scratch sc, WinogradPlan p, float[] x, float[] y, int block) {
        Winograd v = p.v();
        int cc = p.g().c();
        int first = block * FUSED_BLOCK;
        int count = Math.min(FUSED_BLOCK, p.tiles() - first);
        int width = Math.min(FUSED_BLOCK, WinogradTiles.roundUp(count, LANES));
        int points = v.points();
        // V[xi][c][t] (segments start at multiples of LANES: none writes past the block's 32 tiles)
        int xiStride = WinogradTiles.skew(cc * FUSED_BLOCK);
        float[] vt = sc.floats(Scratch.WINO_V, points * xiStride);
        int tileStride = FUSED_BLOCK + LANES;
        float[] tilesBuf = sc.floats(Scratch.WINO_TILES, points * tileStride + WinogradTiles.SEGMENT_SOURCE);
        float[] tmp = sc.floats(Scratch.WINO_TMP, WinogradTiles.tmpSize(v));
        for (int c = 0; c < cc; c++) {
            WinogradTiles.gatherTiles(p, x, c, first, FUSED_BLOCK, tilesBuf, tileStride);
            for (int t = 0; t < count; t += LANES) {
                WinogradTiles.inputSegment(v, tilesBuf, tileStride, t, tmp, vt, c * FUSED_BLOCK + t, xiStride);
            }
        }
        // M[k - k0][xi][t], FUSED_ROWS output channels at a time (+ room for reads past the last tile)
        float[] mt = sc.floats(Scratch.WINO_M, FUSED_ROWS * points * FUSED_BLOCK + LANES);
        int[] where = WinogradTiles.tilePositions(sc, p, first, count);
        int kPanels = p.kPadded() / MR;
        for (int k0 = 0; k0 < p.kPadded(); k0 += FUSED_ROWS) {
            int k1 = Math.min(k0 + FUSED_ROWS, p.kPadded());
            for (int xi = 0; xi < points; xi++) {
                for (int k = k0; k < k1; k += MR) {
                    for (int j = 0; j < width; ) {
                        int w = MicroKernel.widthFor(width - j);
                        MicroKernel.run(
                                w,
                                p.u(),
                                (xi * kPanels + k / MR) * cc * MR,
                                vt,
                                xi * xiStride + j,
                                FUSED_BLOCK,
                                cc,
                                mt,
                                ((k - k0) * points + xi) * FUSED_BLOCK + j,
                                points * FUSED_BLOCK,
                                false);
                        j += w;
                    }
                }
            }
            for (int k = k0; k < Math.min(k1, p.g().k()); k++) {
                int src = (k - k0) * points * FUSED_BLOCK;
                // by runs of tiles in one tile row, so that LANES neighbours can be written as whole output rows
                for (int t = 0; t < count; ) {
                    int tile = first + t;
                    int run = Math.min(count - t, p.tilesW() - tile % p.tilesW());
                    if (run < LANES) {
                        WinogradTiles.outputSegment(p, mt, src + t, FUSED_BLOCK, tmp, y, k, where, t, run, tile, false);
                    } else {
                        for (int j = 0; j < run; j += LANES) {
                            int sj = Math.min(j, run - LANES);
                            WinogradTiles.outputSegment(
                                    p, mt, src + t + sj, FUSED_BLOCK, tmp, y, k, where, t + sj, LANES, tile + sj, true);
                        }
                    }
                    t += run;
                }
            }
        }
    }

    // ---- grouped schedule: each step over a group of blocks, then the next step ----

    private static void grouped(
            WorkerPool pool, Scratch shared, Scratch[] scratch, Tuning tuning, WinogradPlan p, float[] x, float[] y) {
        ConvGeometry g = p.g();
        int points = p.v().points();
        long perBlock = (long) points * (g.c() + p.kPadded()) * BLOCK;
        int blocks = (p.tiles() + BLOCK - 1) / BLOCK;
        int groupBlocks =
                (int) Math.max(1, Math.min(Math.min(blocks, tuning.maxGroupBlocks()), tuning.groupBudget() / perBlock));
        // V[block][xi][c][t], M[block][k][xi][t]
        float[] vt = shared.floats(Scratch.SHARED_V, groupBlocks * points * WinogradTiles.skew(g.c() * BLOCK));
        float[] mt = shared.floats(Scratch.SHARED_M, groupBlocks * p.kPadded() * points * BLOCK);
        for (int b0 = 0; b0 < blocks; b0 += groupBlocks) {
            int first = b0 * BLOCK;
            int count = Math.min(groupBlocks * BLOCK, p.tiles() - first);
            int nb = (count + BLOCK - 1) / BLOCK;
            int chunks = (nb + TRANSFORM_BLOCKS - 1) / TRANSFORM_BLOCKS;
            int cChunks = (g.c() + INPUT_CHANNELS - 1) / INPUT_CHANNELS;
            pool.run(chunks * cChunks, (worker, task) -> {
                int bA = (task / cChunks) * TRANSFORM_BLOCKS;
                int c0 = (task % cChunks) * INPUT_CHANNELS;
                groupInput(
                        scratch[worker],
                        p,
                        x,
                        vt,
                        first,
                        count,
                        bA,
                        Math.min(bA + TRANSFORM_BLOCKS, nb),
                        c0,
                        Math.min(c0 + INPUT_CHANNELS, g.c()));
            });
            int rowBlocks = (p.kPadded() + GEMM_ROWS - 1) / GEMM_ROWS;
            pool.run(
                    points * rowBlocks,
                    (worker, task) ->
                            groupMultiply(p, vt, mt, count, task / rowBlocks, (task % rowBlocks) * GEMM_ROWS));
            int kChunks = (g.k() + OUTPUT_CHANNELS - 1) / OUTPUT_CHANNELS;
            pool.run(chunks * kChunks, (worker, task) -> {
                int bA = (task / kChunks) * TRANSFORM_BLOCKS;
                int k0 = (task % kChunks) * OUTPUT_CHANNELS;
                groupOutput(
                        scratch[worker],
                        p,
                        mt,
                        y,
                        first,
                        count,
                        bA,
                        Math.min(bA + TRANSFORM_BLOCKS, nb),
                        k0,
                        Math.min(k0 + OUTPUT_CHANNELS, g.k()));
            });
        }
    }

    // group blocks bA..bB, channels c0..c1 -> vt[block][xi][c][t]
    private static void groupInput(
            Scratch sc, WinogradPlan p, float[] x, float[] vt, int first, int count, int bA, int bB, int c0, int c1) {
        Winograd v = p.v();
        int span = (bB - bA) * BLOCK;
        int stride = span + LANES;
        float[] tilesBuf = sc.floats(Scratch.WINO_TILES, v.points() * stride + WinogradTiles.SEGMENT_SOURCE);
        float[] tmp = sc.floats(Scratch.WINO_TMP, WinogradTiles.tmpSize(v));
        int cc = p.g().c();
        int valid = Math.min(span, count - bA * BLOCK);
        for (int c = c0; c < c1; c++) {
            WinogradTiles.gatherTiles(p, x, c, first + bA * BLOCK, span, tilesBuf, stride);
            for (int t = 0; t < valid; t += LANES) {
                int block = bA + t / BLOCK;
                int xiStride = WinogradTiles.skew(cc * BLOCK);
                WinogradTiles.inputSegment(
                        v,
                        tilesBuf,
                        stride,
                        t,
                        tmp,
                        vt,
                        block * v.points() * xiStride + c * BLOCK + t % BLOCK,
                        xiStride);
            }
        }
    }

    // M[block][k0..k0+64][xi] = U[xi][k0..k0+64][C] . V[block][xi][C] for every block of the group
    private static void groupMultiply(WinogradPlan p, float[] vt, float[] mt, int count, int xi, int k0) {
        int cc = p.g().c();
        int points = p.v().points();
        int kPanels = p.kPadded() / MR;
        int k1 = Math.min(k0 + GEMM_ROWS, p.kPadded());
        for (int block = 0; block * BLOCK < count; block++) {
            int w = MicroKernel.widthFor(count - block * BLOCK);
            int vOff = (block * points + xi) * WinogradTiles.skew(cc * BLOCK);
            for (int k = k0; k < k1; k += MR) {
                MicroKernel.run(
                        w,
                        p.u(),
                        (xi * kPanels + k / MR) * cc * MR,
                        vt,
                        vOff,
                        BLOCK,
                        cc,
                        mt,
                        ((block * p.kPadded() + k) * points + xi) * BLOCK,
                        points * BLOCK,
                        false);
            }
        }
    }

    // mt -> y for group blocks bA..bB and output channels k0..k1
    private static void groupOutput(
            Scratch sc, WinogradPlan p, float[] mt, float[] y, int first, int count, int bA, int bB, int k0, int k1) {
        int points = p.v().points();
        float[] tmp = sc.floats(Scratch.WINO_TMP, WinogradTiles.tmpSize(p.v()));
        int ta = bA * BLOCK;
        int tb = Math.min(bB * BLOCK, count);
        int[] where = WinogradTiles.tilePositions(sc, p, first + ta, tb - ta);
        for (int k = k0; k < k1; k++) {
            for (int t = ta; t < tb; t += LANES) {
                int src = ((t / BLOCK * p.kPadded() + k) * points) * BLOCK + t % BLOCK;
                WinogradTiles.outputSegment(
                        p, mt, src, BLOCK, tmp, y, k, where, t - ta, Math.min(LANES, tb - t), first + t, false);
            }
        }
    }
}
