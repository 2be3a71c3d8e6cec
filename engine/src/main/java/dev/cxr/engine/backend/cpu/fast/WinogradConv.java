package dev.cxr.engine.backend.cpu.fast;

import static dev.cxr.engine.backend.cpu.fast.MicroKernel.MR;
import static dev.cxr.engine.backend.cpu.fast.Winograd.LANES;

import dev.cxr.engine.backend.ConvGeometry;
import dev.cxr.engine.backend.ConvSpec;
import dev.cxr.engine.backend.cpu.WorkerPool;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

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
 * <p>Tasks are cut by the problem's shape alone and every value's arithmetic is fixed (the GEMM
 * sums over input channels in order, one multiply-add chain), so results are the same for any
 * number of threads, either schedule and any batch size; the SIMD width ({@link Simd}) changes how
 * many tiles share a vector, not what is computed for each.
 */
final class WinogradConv {
    private static final VectorSpecies<Float> S = Simd.S;
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

    private WinogradConv() {
    }

    /** Whether Winograd F(m x m, 3 x 3) computes this convolution: 3x3 kernel, stride 1. */
    static boolean applies(ConvSpec s) {
        return s.kernelH() == 3 && s.kernelW() == 3 && s.strideH() == 1 && s.strideW() == 1;
    }

    /** Floats of the packed transformed kernels for K output and C input channels. */
    static int kernelSize(Winograd v, int k, int c) {
        return v.points() * ((k + MR - 1) / MR) * MR * c;
    }

    /** Sizes of one call, shared by the steps. */
    private record Plan(ConvGeometry g, ConvSpec s, Winograd v, float[] u, float[] bias, boolean relu, boolean pooled,
                        int tilesH, int tilesW, int tiles, int kPadded) {
        int tilesPerImage() {
            return tilesH * tilesW;
        }
    }

    // x [N, C, H, W], u = transformed w [K, C, 3, 3], bias [K] or null -> y [N, K, OH, OW], then ReLU if asked
    static void forward(WorkerPool pool, Scratch shared, Scratch[] scratch, Tuning tuning, float[] x, ConvGeometry g,
                        ConvSpec s, Winograd v, float[] u, float[] bias, float[] y, boolean relu) {
        forward(pool, shared, scratch, tuning, x, g, s, v, u, bias, y, relu, false);
    }

    // the same, and with `pooled` a 2x2 stride-2 max pool of it: y [N, K, OH / 2, OW / 2] (m is even,
    // so every tile starts on a pooling window; each tile's windows are pooled as the tile is written)
    static void forward(WorkerPool pool, Scratch shared, Scratch[] scratch, Tuning tuning, float[] x, ConvGeometry g,
                        ConvSpec s, Winograd v, float[] u, float[] bias, float[] y, boolean relu, boolean pooled) {
        int tilesH = (g.outH() + v.m - 1) / v.m;
        int tilesW = (g.outW() + v.m - 1) / v.m;
        int kPadded = (g.k() + MR - 1) / MR * MR;
        Plan p = new Plan(g, s, v, u, bias, relu, pooled, tilesH, tilesW, g.n() * tilesH * tilesW, kPadded);
        if (u.length <= tuning.fusedKernelLimit()) {
            int blocks = (p.tiles + FUSED_BLOCK - 1) / FUSED_BLOCK;
            pool.run(blocks, (worker, block) -> fusedBlock(scratch[worker], p, x, y, block));
        } else {
            grouped(pool, shared, scratch, tuning, p, x, y);
        }
    }

    // ---- fused schedule: one block of tiles through all three steps ----

    private static void fusedBlock(Scratch sc, Plan p, float[] x, float[] y, int block) {
        Winograd v = p.v;
        int cc = p.g.c();
        int first = block * FUSED_BLOCK;
        int count = Math.min(FUSED_BLOCK, p.tiles - first);
        int width = Math.min(FUSED_BLOCK, roundUp(count, LANES));
        int points = v.points();
        // V[xi][c][t] (segments start at multiples of LANES: none writes past the block's 32 tiles)
        int xiStride = skew(cc * FUSED_BLOCK);
        float[] vt = sc.floats(Scratch.WINO_V, points * xiStride);
        int tileStride = FUSED_BLOCK + LANES;
        float[] tilesBuf = sc.floats(Scratch.WINO_TILES, points * tileStride + SEGMENT_SOURCE);
        float[] tmp = sc.floats(Scratch.WINO_TMP, tmpSize(v));
        for (int c = 0; c < cc; c++) {
            gatherTiles(p, x, c, first, FUSED_BLOCK, tilesBuf, tileStride);
            for (int t = 0; t < count; t += LANES) {
                inputSegment(v, tilesBuf, tileStride, t, tmp, vt, c * FUSED_BLOCK + t, xiStride);
            }
        }
        // M[k - k0][xi][t], FUSED_ROWS output channels at a time (+ room for reads past the last tile)
        float[] mt = sc.floats(Scratch.WINO_M, FUSED_ROWS * points * FUSED_BLOCK + LANES);
        int[] where = tilePositions(sc, p, first, count);
        int kPanels = p.kPadded / MR;
        for (int k0 = 0; k0 < p.kPadded; k0 += FUSED_ROWS) {
            int k1 = Math.min(k0 + FUSED_ROWS, p.kPadded);
            for (int xi = 0; xi < points; xi++) {
                for (int k = k0; k < k1; k += MR) {
                    for (int j = 0; j < width; ) {
                        int w = MicroKernel.widthFor(width - j);
                        MicroKernel.run(w, p.u, (xi * kPanels + k / MR) * cc * MR, vt, xi * xiStride + j, FUSED_BLOCK, cc,
                                mt, ((k - k0) * points + xi) * FUSED_BLOCK + j, points * FUSED_BLOCK, false);
                        j += w;
                    }
                }
            }
            for (int k = k0; k < Math.min(k1, p.g.k()); k++) {
                int src = (k - k0) * points * FUSED_BLOCK;
                // by runs of tiles in one tile row, so that LANES neighbours can be written as whole output rows
                for (int t = 0; t < count; ) {
                    int tile = first + t;
                    int run = Math.min(count - t, p.tilesW - tile % p.tilesW);
                    if (run < LANES) {
                        outputSegment(p, mt, src + t, FUSED_BLOCK, tmp, y, k, where, t, run, tile, false);
                    } else {
                        for (int j = 0; j < run; j += LANES) {
                            int sj = Math.min(j, run - LANES);
                            outputSegment(p, mt, src + t + sj, FUSED_BLOCK, tmp, y, k, where, t + sj, LANES, tile + sj, true);
                        }
                    }
                    t += run;
                }
            }
        }
    }

    // ---- grouped schedule: each step over a group of blocks, then the next step ----

    private static void grouped(WorkerPool pool, Scratch shared, Scratch[] scratch, Tuning tuning, Plan p, float[] x,
                                float[] y) {
        ConvGeometry g = p.g;
        int points = p.v.points();
        long perBlock = (long) points * (g.c() + p.kPadded) * BLOCK;
        int blocks = (p.tiles + BLOCK - 1) / BLOCK;
        int groupBlocks = (int) Math.max(1, Math.min(Math.min(blocks, tuning.maxGroupBlocks()), tuning.groupBudget() / perBlock));
        // V[block][xi][c][t], M[block][k][xi][t]
        float[] vt = shared.floats(Scratch.SHARED_V, groupBlocks * points * skew(g.c() * BLOCK));
        float[] mt = shared.floats(Scratch.SHARED_M, groupBlocks * p.kPadded * points * BLOCK);
        for (int b0 = 0; b0 < blocks; b0 += groupBlocks) {
            int first = b0 * BLOCK;
            int count = Math.min(groupBlocks * BLOCK, p.tiles - first);
            int nb = (count + BLOCK - 1) / BLOCK;
            int chunks = (nb + TRANSFORM_BLOCKS - 1) / TRANSFORM_BLOCKS;
            int cChunks = (g.c() + INPUT_CHANNELS - 1) / INPUT_CHANNELS;
            pool.run(chunks * cChunks, (worker, task) -> {
                int bA = (task / cChunks) * TRANSFORM_BLOCKS;
                int c0 = (task % cChunks) * INPUT_CHANNELS;
                groupInput(scratch[worker], p, x, vt, first, count, bA, Math.min(bA + TRANSFORM_BLOCKS, nb),
                        c0, Math.min(c0 + INPUT_CHANNELS, g.c()));
            });
            int rowBlocks = (p.kPadded + GEMM_ROWS - 1) / GEMM_ROWS;
            pool.run(points * rowBlocks, (worker, task) ->
                    groupMultiply(p, vt, mt, count, task / rowBlocks, (task % rowBlocks) * GEMM_ROWS));
            int kChunks = (g.k() + OUTPUT_CHANNELS - 1) / OUTPUT_CHANNELS;
            pool.run(chunks * kChunks, (worker, task) -> {
                int bA = (task / kChunks) * TRANSFORM_BLOCKS;
                int k0 = (task % kChunks) * OUTPUT_CHANNELS;
                groupOutput(scratch[worker], p, mt, y, first, count, bA, Math.min(bA + TRANSFORM_BLOCKS, nb),
                        k0, Math.min(k0 + OUTPUT_CHANNELS, g.k()));
            });
        }
    }

    // group blocks bA..bB, channels c0..c1 -> vt[block][xi][c][t]
    private static void groupInput(Scratch sc, Plan p, float[] x, float[] vt, int first, int count,
                                   int bA, int bB, int c0, int c1) {
        Winograd v = p.v;
        int span = (bB - bA) * BLOCK;
        int stride = span + LANES;
        float[] tilesBuf = sc.floats(Scratch.WINO_TILES, v.points() * stride + SEGMENT_SOURCE);
        float[] tmp = sc.floats(Scratch.WINO_TMP, tmpSize(v));
        int cc = p.g.c();
        int valid = Math.min(span, count - bA * BLOCK);
        for (int c = c0; c < c1; c++) {
            gatherTiles(p, x, c, first + bA * BLOCK, span, tilesBuf, stride);
            for (int t = 0; t < valid; t += LANES) {
                int block = bA + t / BLOCK;
                int xiStride = skew(cc * BLOCK);
                inputSegment(v, tilesBuf, stride, t, tmp, vt, block * v.points() * xiStride + c * BLOCK + t % BLOCK, xiStride);
            }
        }
    }

    // M[block][k0..k0+64][xi] = U[xi][k0..k0+64][C] . V[block][xi][C] for every block of the group
    private static void groupMultiply(Plan p, float[] vt, float[] mt, int count, int xi, int k0) {
        int cc = p.g.c();
        int points = p.v.points();
        int kPanels = p.kPadded / MR;
        int k1 = Math.min(k0 + GEMM_ROWS, p.kPadded);
        for (int block = 0; block * BLOCK < count; block++) {
            int w = MicroKernel.widthFor(count - block * BLOCK);
            int vOff = (block * points + xi) * skew(cc * BLOCK);
            for (int k = k0; k < k1; k += MR) {
                MicroKernel.run(w, p.u, (xi * kPanels + k / MR) * cc * MR, vt, vOff, BLOCK, cc,
                        mt, ((block * p.kPadded + k) * points + xi) * BLOCK, points * BLOCK, false);
            }
        }
    }

    // mt -> y for group blocks bA..bB and output channels k0..k1
    private static void groupOutput(Scratch sc, Plan p, float[] mt, float[] y, int first, int count,
                                    int bA, int bB, int k0, int k1) {
        int points = p.v.points();
        float[] tmp = sc.floats(Scratch.WINO_TMP, tmpSize(p.v));
        int ta = bA * BLOCK;
        int tb = Math.min(bB * BLOCK, count);
        int[] where = tilePositions(sc, p, first + ta, tb - ta);
        for (int k = k0; k < k1; k++) {
            for (int t = ta; t < tb; t += LANES) {
                int src = ((t / BLOCK * p.kPadded + k) * points) * BLOCK + t % BLOCK;
                outputSegment(p, mt, src, BLOCK, tmp, y, k, where, t - ta, Math.min(LANES, tb - t), first + t, false);
            }
        }
    }

    // ---- the steps on LANES tiles ----

    private static int tmpSize(Winograd v) {
        return (v.points() + 2 * v.m * v.m) * LANES;
    }

    // tiles t .. t+LANES-1 of the tile buffer, one channel -> V at dst + xi * xiStride (xi = row * alpha + col)
    private static void inputSegment(Winograd v, float[] tilesBuf, int stride, int t, float[] tmp,
                                     float[] vt, int dst, int xiStride) {
        v.inputTile(tilesBuf, t, stride, tmp, vt, dst, xiStride);
    }

    // M values of LANES tiles, one output channel k, at src + xi * xiStride -> A^T M A + bias, ReLU -> y
    // where[2 i], where[2 i + 1]: output offset (channel 0) and rows << 8 | columns of tile i of the task;
    // `row`: the LANES tiles are neighbours in one tile row (their outputs may be written as whole rows)
    private static void outputSegment(Plan p, float[] mt, int src, int xiStride, float[] tmp, float[] y, int k,
                                      int[] where, int w0, int lanes, int firstTile, boolean row) {
        Winograd v = p.v;
        int m = v.m;
        int outOff = v.points() * LANES;
        v.outputTile(mt, src, xiStride, tmp, outOff);
        // bias, then ReLU (v < 0 -> 0, as the reference: -0 and NaN pass), in two plain loops: a vector
        // that one branch or the other may have replaced would not stay in a register on JDK 17
        if (p.bias != null) {
            FloatVector b = FloatVector.broadcast(S, p.bias[k]);
            for (int i = 0; i < m * m; i++) {
                int o = outOff + i * LANES;
                FloatVector.fromArray(S, tmp, o).add(b).intoArray(tmp, o);
            }
        }
        if (p.relu && Simd.MASKS) {
            FloatVector zero = FloatVector.zero(S);
            for (int i = 0; i < m * m; i++) {
                int o = outOff + i * LANES;
                FloatVector val = FloatVector.fromArray(S, tmp, o);
                val.blend(zero, val.compare(VectorOperators.LT, 0f)).intoArray(tmp, o);
            }
        } else if (p.relu) {
            for (int i = outOff; i < outOff + m * m * LANES; i++) {
                tmp[i] = tmp[i] < 0f ? 0f : tmp[i];
            }
        }
        if (p.pooled) {
            pooledOutput(p, tmp, outOff, y, k, firstTile, lanes);
            return;
        }
        ConvGeometry g = p.g;
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
            interleave(m, tmp, outOff + r * m * LANES, target, start + r * rowStep);
        }
        if (direct) {
            return;
        }
        for (int l0 = 0; l0 < lanes; ) {
            int base = where[2 * (w0 + l0)];
            int rows = where[2 * (w0 + l0) + 1] >> 8;
            int l1 = l0 + 1;
            while (l1 < lanes && where[2 * (w0 + l1)] == base + (l1 - l0) * m && where[2 * (w0 + l1) + 1] >> 8 == rows) {
                l1++;
            }
            int length = (l1 - l0 - 1) * m + (where[2 * (w0 + l1 - 1) + 1] & 0xff);
            for (int r = 0; r < rows; r++) {
                System.arraycopy(tmp, staged + r * m * LANES + l0 * m, y, base + planeOffset + r * g.outW(), length);
            }
            l0 = l1;
        }
    }

    // the m x m output values of LANES tiles (tmp[outOff + (row m + column) LANES + lane], bias and ReLU
    // applied) -> their 2x2 stride-2 max pool, (m/2) x (m/2) values per tile, written into y
    // [N, K, OH / 2, OW / 2]; each window's maximum is taken as the max pool op takes it (the same
    // order and tie rule), so the values equal conv2dForward then maxPoolForward bit for bit
    private static void pooledOutput(Plan p, float[] tmp, int outOff, float[] y, int k, int firstTile, int lanes) {
        int m = p.v.m;
        int h = m / 2;
        int pooled = outOff + m * m * LANES;
        for (int pr = 0; pr < h; pr++) {
            for (int pc = 0; pc < h; pc++) {
                int a = outOff + (2 * pr * m + 2 * pc) * LANES;
                int dst = pooled + (pr * h + pc) * LANES;
                if (Simd.MASKS) {
                    FloatVector best = FloatVector.fromArray(S, tmp, a);
                    best = Pooling.max(best, FloatVector.fromArray(S, tmp, a + LANES));
                    best = Pooling.max(best, FloatVector.fromArray(S, tmp, a + m * LANES));
                    best = Pooling.max(best, FloatVector.fromArray(S, tmp, a + (m + 1) * LANES));
                    best.intoArray(tmp, dst);
                } else {
                    for (int l = 0; l < LANES; l++) {
                        tmp[dst + l] = Pooling.max(Pooling.max(Pooling.max(tmp[a + l], tmp[a + LANES + l]),
                                tmp[a + m * LANES + l]), tmp[a + (m + 1) * LANES + l]);
                    }
                }
            }
        }
        ConvGeometry g = p.g;
        int poolH = g.outH() / 2;
        int poolW = g.outW() / 2;
        int tpi = p.tilesPerImage();
        for (int l = 0; l < lanes; l++) {
            int tile = firstTile + l;
            int n = tile / tpi;
            int py = (tile % tpi) / p.tilesW * h;
            int px = tile % p.tilesW * h;
            int rows = Math.min(h, poolH - py);
            int cols = Math.min(h, poolW - px);
            int base = ((n * g.k() + k) * poolH + py) * poolW + px;
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    y[base + r * poolW + c] = tmp[pooled + (r * h + c) * LANES + l];
                }
            }
        }
    }

    // ---- lane shuffles between "one value per tile" vectors and rows of the image ----

    /** Floats of source a segment may need when its input rows are copied with zero padding: (LANES + 1) m at most. */
    private static final int SEGMENT_SOURCE = 5 * LANES;

    // Lane l of a "tile vector" holds one value of tile l. The input rows of LANES neighbouring tiles
    // are m LANES contiguous image columns: m vectors a_0 .. a_{m-1}, tile l's column ph at overall
    // index m l + ph, that is lane (m l + ph) % LANES of vector (m l + ph) / LANES. Splitting gathers
    // phase ph of every tile with one shuffle per source vector and a blend per source; joining puts
    // m tile vectors back as m LANES contiguous output columns the same way around.
    private static final VectorShuffle<Float>[][] SPLIT = new VectorShuffle[5][];
    private static final VectorMask<Float>[][][] SPLIT_FROM = new VectorMask[5][][];
    private static final VectorShuffle<Float>[][] JOIN = new VectorShuffle[5][];
    private static final VectorMask<Float>[][] JOIN_FROM = new VectorMask[5][];

    static {
        for (int m : new int[] {2, 4}) {
            SPLIT[m] = new VectorShuffle[m];
            SPLIT_FROM[m] = new VectorMask[m][m];
            JOIN[m] = new VectorShuffle[m];
            JOIN_FROM[m] = new VectorMask[m];
            for (int ph = 0; ph < m; ph++) {
                int[] split = new int[LANES];
                for (int l = 0; l < LANES; l++) {
                    split[l] = (m * l + ph) % LANES;
                }
                SPLIT[m][ph] = VectorShuffle.fromArray(S, split, 0);
                for (int q = 0; q < m; q++) {
                    boolean[] from = new boolean[LANES];
                    for (int l = 0; l < LANES; l++) {
                        from[l] = (m * l + ph) / LANES == q;
                    }
                    SPLIT_FROM[m][ph][q] = VectorMask.fromArray(S, from, 0);
                }
            }
            for (int i = 0; i < m; i++) {
                // output vector i, lane j: overall index i LANES + j = m l + q, value q of tile l
                int[] join = new int[LANES];
                for (int j = 0; j < LANES; j++) {
                    join[j] = (i * LANES + j) / m;
                }
                JOIN[m][i] = VectorShuffle.fromArray(S, join, 0);
            }
            for (int q = 0; q < m; q++) {
                boolean[] from = new boolean[LANES];
                for (int j = 0; j < LANES; j++) {
                    from[j] = j % m == q;
                }
                JOIN_FROM[m][q] = VectorMask.fromArray(S, from, 0);
            }
        }
    }

    // a[o + m l + ph] for l < LANES -> dst[dOff + ph * dStride + l], phases ph = 0 .. count-1 (count <= m)
    private static void split(int m, float[] a, int o, int count, float[] dst, int dOff, int dStride) {
        if (!Simd.MASKS) {
            for (int ph = 0; ph < count; ph++) {
                for (int l = 0; l < LANES; l++) {
                    dst[dOff + ph * dStride + l] = a[o + m * l + ph];
                }
            }
        } else if (m == 4) {
            FloatVector a0 = FloatVector.fromArray(S, a, o);
            FloatVector a1 = FloatVector.fromArray(S, a, o + LANES);
            FloatVector a2 = FloatVector.fromArray(S, a, o + 2 * LANES);
            FloatVector a3 = FloatVector.fromArray(S, a, o + 3 * LANES);
            for (int ph = 0; ph < count; ph++) {
                VectorShuffle<Float> sh = SPLIT[4][ph];
                VectorMask<Float>[] from = SPLIT_FROM[4][ph];
                a0.rearrange(sh).blend(a1.rearrange(sh), from[1]).blend(a2.rearrange(sh), from[2])
                        .blend(a3.rearrange(sh), from[3]).intoArray(dst, dOff + ph * dStride);
            }
        } else {
            FloatVector a0 = FloatVector.fromArray(S, a, o);
            FloatVector a1 = FloatVector.fromArray(S, a, o + LANES);
            for (int ph = 0; ph < count; ph++) {
                VectorShuffle<Float> sh = SPLIT[2][ph];
                a0.rearrange(sh).blend(a1.rearrange(sh), SPLIT_FROM[2][ph][1]).intoArray(dst, dOff + ph * dStride);
            }
        }
    }

    // m vectors src[o + q * LANES + l] (value q of tile l) -> y[d + m l + q], LANES m contiguous values
    private static void interleave(int m, float[] src, int o, float[] y, int d) {
        if (!Simd.MASKS) {
            for (int l = 0; l < LANES; l++) {
                for (int q = 0; q < m; q++) {
                    y[d + m * l + q] = src[o + q * LANES + l];
                }
            }
        } else if (m == 4) {
            FloatVector v0 = FloatVector.fromArray(S, src, o);
            FloatVector v1 = FloatVector.fromArray(S, src, o + LANES);
            FloatVector v2 = FloatVector.fromArray(S, src, o + 2 * LANES);
            FloatVector v3 = FloatVector.fromArray(S, src, o + 3 * LANES);
            VectorMask<Float> e1 = JOIN_FROM[4][1];
            VectorMask<Float> e2 = JOIN_FROM[4][2];
            VectorMask<Float> e3 = JOIN_FROM[4][3];
            for (int i = 0; i < 4; i++) {
                VectorShuffle<Float> sh = JOIN[4][i];
                v0.rearrange(sh).blend(v1.rearrange(sh), e1).blend(v2.rearrange(sh), e2).blend(v3.rearrange(sh), e3)
                        .intoArray(y, d + i * LANES);
            }
        } else {
            FloatVector v0 = FloatVector.fromArray(S, src, o);
            FloatVector v1 = FloatVector.fromArray(S, src, o + LANES);
            VectorMask<Float> odd = JOIN_FROM[2][1];
            for (int i = 0; i < 2; i++) {
                VectorShuffle<Float> sh = JOIN[2][i];
                v0.rearrange(sh).blend(v1.rearrange(sh), odd).intoArray(y, d + i * LANES);
            }
        }
    }

    /** For tiles first .. first+count-1: output offset (channel 0) and rows << 8 | columns inside the image. */
    private static int[] tilePositions(Scratch sc, Plan p, int first, int count) {
        int m = p.v.m;
        ConvGeometry g = p.g;
        int[] where = sc.ints(Scratch.WINO_TMP, 2 * count);
        int tpi = p.tilesPerImage();
        int planeSize = g.outH() * g.outW();
        for (int i = 0; i < count; i++) {
            int tile = first + i;
            int n = tile / tpi;
            int oy = ((tile % tpi) / p.tilesW) * m;
            int ox = (tile % p.tilesW) * m;
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
    private static void gatherTiles(Plan p, float[] x, int c, int from, int span, float[] buf, int stride) {
        Winograd v = p.v;
        int m = v.m;
        int alpha = v.alpha;
        ConvGeometry g = p.g;
        int tpi = p.tilesPerImage();
        int source = v.points() * stride;
        int reach = (LANES + 1) * m;
        for (int t = 0; t < span; ) {
            int tile = from + t;
            if (tile >= p.tiles) {
                for (int rs = 0; rs < alpha * alpha; rs++) {
                    Arrays.fill(buf, rs * stride + t, rs * stride + span, 0f);
                }
                return;
            }
            int n = tile / tpi;
            int ti = (tile % tpi) / p.tilesW;
            int tj0 = tile % p.tilesW;
            int run = Math.min(p.tilesW - tj0, span - t);
            int plane = (n * g.c() + c) * g.h();
            for (int r = 0; r < alpha; r++) {
                int iy = ti * m + r - p.s.padTop();
                if (iy < 0 || iy >= g.h()) {
                    for (int s = 0; s < alpha; s++) {
                        int dst = (r * alpha + s) * stride + t;
                        Arrays.fill(buf, dst, dst + run, 0f);
                    }
                    continue;
                }
                int rowBase = (plane + iy) * g.w();
                for (int j = 0; j < run; j += LANES) {
                    int col = (tj0 + j) * m - p.s.padLeft();
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
                        split(m, a, o + part * m, part == 0 ? m : alpha - m, buf, dst + part * m * stride, stride);
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
