package dev.cxr.engine.backend.cpu.fast;

import dev.cxr.engine.backend.PoolGeometry;
import dev.cxr.engine.backend.PoolSpec;
import dev.cxr.engine.backend.cpu.WorkerPool;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Max and average pooling over channel planes, a block of planes per task, with a straight-line
 * path for VGG16's 2x2 stride-2 max pool. Maxima and sums are taken in the reference backend's
 * order with its tie rule (the first maximum in row-major order wins; a NaN wins), so the results
 * are bit-identical to the reference.
 */
final class Pooling {
    private static final VectorSpecies<Float> VS = Simd.S;
    /** Input elements per task. */
    private static final int CHUNK = 1 << 15;

    private Pooling() {}

    private static void forPlanes(WorkerPool pool, PoolGeometry g, PlaneBody body) {
        int planes = g.planes();
        int perTask = Math.max(1, CHUNK / Math.max(1, g.h() * g.w()));
        int tasks = (planes + perTask - 1) / perTask;
        pool.run(tasks, (worker, task) -> {
            for (int plane = task * perTask; plane < Math.min(planes, (task + 1) * perTask); plane++) {
                body.run(worker, plane);
            }
        });
    }

    @FunctionalInterface
    private interface PlaneBody {
        void run(int worker, int plane);
    }

    /** True when {@code v} replaces {@code best} as a window's maximum: larger, or the first NaN. */
    private static boolean beats(float v, float best) {
        return v > best || (v != v && best == best);
    }

    // x [N, C, H, W] -> y [N, C, OH, OW], the max of each window
    static void maxForward(WorkerPool pool, Scratch[] scratch, float[] x, float[] y, PoolGeometry g, PoolSpec p) {
        boolean twoByTwo = p.poolH() == 2 && p.poolW() == 2 && p.strideH() == 2 && p.strideW() == 2;
        forPlanes(pool, g, (worker, plane) -> {
            for (int oy = 0; oy < g.outH(); oy++) {
                int yi = g.yIndex(plane, oy, 0);
                if (twoByTwo) {
                    maxRow2x2(
                            x,
                            g.xIndex(plane, 2 * oy, 0),
                            g.w(),
                            y,
                            yi,
                            g.outW(),
                            scratch[worker].floats(Scratch.ACC, g.w() + VS.length()));
                } else {
                    for (int ox = 0; ox < g.outW(); ox++) {
                        y[yi + ox] = x[argmax(x, g, p, plane, oy, ox)];
                    }
                }
            }
        });
    }

    // one output row of a 2x2 stride-2 max pool: row r0 = x[a..a+w), r1 = the next row
    // lane l of A, B, C, D holds x00, x01, x10, x11 of the window starting at column a + l; for even l
    // that is a real window, and the reference's comparison order (x00, x01, x10, x11) is kept
    private static void maxRow2x2(float[] x, int a, int w, float[] y, int yi, int outW, float[] buf) {
        int b = a + w;
        int i = 0;
        // vectors only where the JIT compiles compares (Simd.MASKS); the scalar loop below does the rest
        for (; Simd.MASKS && i + VS.length() + 1 <= w; i += VS.length()) {
            FloatVector best = FloatVector.fromArray(VS, x, a + i);
            best = max(best, FloatVector.fromArray(VS, x, a + i + 1));
            best = max(best, FloatVector.fromArray(VS, x, b + i));
            best = max(best, FloatVector.fromArray(VS, x, b + i + 1));
            best.intoArray(buf, i);
        }
        int ox = 0;
        for (; 2 * ox + 1 < i; ox++) {
            y[yi + ox] = buf[2 * ox];
        }
        for (; ox < outW; ox++) {
            float best = x[a + 2 * ox];
            float v = x[a + 2 * ox + 1];
            if (beats(v, best)) {
                best = v;
            }
            v = x[b + 2 * ox];
            if (beats(v, best)) {
                best = v;
            }
            v = x[b + 2 * ox + 1];
            if (beats(v, best)) {
                best = v;
            }
            y[yi + ox] = best;
        }
    }

    /** {@link #beats} as a choice: v where v is larger or the first NaN, else best. */
    static float max(float best, float v) {
        return beats(v, best) ? v : best;
    }

    /** Lanewise {@link #beats}: v where v is larger or the first NaN, else best. */
    static FloatVector max(FloatVector best, FloatVector v) {
        VectorMask<Float> wins = v.compare(VectorOperators.GT, best)
                .or(v.test(VectorOperators.IS_NAN).andNot(best.test(VectorOperators.IS_NAN)));
        return best.blend(v, wins);
    }

    // dx (overwritten) gets each window's dy at its first maximum
    static void maxBackward(WorkerPool pool, float[] x, float[] dy, float[] dx, PoolGeometry g, PoolSpec p) {
        forPlanes(pool, g, (worker, plane) -> {
            int from = g.xIndex(plane, 0, 0);
            Arrays.fill(dx, from, from + g.h() * g.w(), 0f);
            for (int oy = 0; oy < g.outH(); oy++) {
                for (int ox = 0; ox < g.outW(); ox++) {
                    dx[argmax(x, g, p, plane, oy, ox)] += dy[g.yIndex(plane, oy, ox)];
                }
            }
        });
    }

    private static int argmax(float[] x, PoolGeometry g, PoolSpec p, int plane, int oy, int ox) {
        int best = g.xIndex(plane, oy * p.strideH(), ox * p.strideW());
        for (int py = 0; py < p.poolH(); py++) {
            int row = g.xIndex(plane, oy * p.strideH() + py, ox * p.strideW());
            for (int px = 0; px < p.poolW(); px++) {
                if (beats(x[row + px], x[best])) {
                    best = row + px;
                }
            }
        }
        return best;
    }

    // x [N, C, H, W] -> y [N, C, OH, OW], the mean of each window (summed row-major, then divided)
    static void avgForward(WorkerPool pool, float[] x, float[] y, PoolGeometry g, PoolSpec p) {
        float count = p.poolH() * p.poolW();
        forPlanes(pool, g, (worker, plane) -> {
            for (int oy = 0; oy < g.outH(); oy++) {
                for (int ox = 0; ox < g.outW(); ox++) {
                    float sum = 0f;
                    for (int py = 0; py < p.poolH(); py++) {
                        int row = g.xIndex(plane, oy * p.strideH() + py, ox * p.strideW());
                        for (int px = 0; px < p.poolW(); px++) {
                            sum += x[row + px];
                        }
                    }
                    y[g.yIndex(plane, oy, ox)] = sum / count;
                }
            }
        });
    }

    // dx (overwritten): every position of each window gets dy / (poolH * poolW)
    static void avgBackward(WorkerPool pool, float[] dy, float[] dx, PoolGeometry g, PoolSpec p) {
        float count = p.poolH() * p.poolW();
        forPlanes(pool, g, (worker, plane) -> {
            int from = g.xIndex(plane, 0, 0);
            Arrays.fill(dx, from, from + g.h() * g.w(), 0f);
            for (int oy = 0; oy < g.outH(); oy++) {
                for (int ox = 0; ox < g.outW(); ox++) {
                    float share = dy[g.yIndex(plane, oy, ox)] / count;
                    for (int py = 0; py < p.poolH(); py++) {
                        int row = g.xIndex(plane, oy * p.strideH() + py, ox * p.strideW());
                        for (int px = 0; px < p.poolW(); px++) {
                            dx[row + px] += share;
                        }
                    }
                }
            }
        });
    }
}
