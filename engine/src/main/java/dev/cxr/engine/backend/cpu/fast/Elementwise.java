package dev.cxr.engine.backend.cpu.fast;

import dev.cxr.engine.backend.cpu.WorkerPool;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Elementwise ops in SIMD, split into fixed-size chunks across the workers. Each one does exactly
 * the reference backend's float operations in the same order per element (no fused multiply-add),
 * so the results are bit-identical to the reference, and the chunking never shows in them.
 */
final class Elementwise {
    private static final VectorSpecies<Float> S = Simd.S;
    /** Elements per task: large enough to hide the hand-off, small enough to spread. */
    static final int CHUNK = 1 << 16;

    private Elementwise() {}

    @FunctionalInterface
    interface Range {
        void run(int from, int to);
    }

    static void forChunks(WorkerPool pool, int size, Range body) {
        int chunks = (size + CHUNK - 1) / CHUNK;
        pool.run(chunks, (worker, task) -> body.run(task * CHUNK, Math.min(size, (task + 1) * CHUNK)));
    }

    // dst += src
    static void add(WorkerPool pool, float[] src, float[] dst, int size) {
        forChunks(pool, size, (from, to) -> {
            int i = from;
            for (int end = from + S.loopBound(to - from); i < end; i += S.length()) {
                FloatVector.fromArray(S, dst, i)
                        .add(FloatVector.fromArray(S, src, i))
                        .intoArray(dst, i);
            }
            for (; i < to; i++) {
                dst[i] += src[i];
            }
        });
    }

    // out = a * b
    static void mul(WorkerPool pool, float[] a, float[] b, float[] out, int size) {
        forChunks(pool, size, (from, to) -> {
            int i = from;
            for (int end = from + S.loopBound(to - from); i < end; i += S.length()) {
                FloatVector.fromArray(S, a, i)
                        .mul(FloatVector.fromArray(S, b, i))
                        .intoArray(out, i);
            }
            for (; i < to; i++) {
                out[i] = a[i] * b[i];
            }
        });
    }

    // y = x > 0 ? x : 0   (NaN and -0 give +0, as in the reference)
    static void relu(WorkerPool pool, float[] x, float[] y, int size) {
        forChunks(pool, size, (from, to) -> {
            FloatVector zero = FloatVector.zero(S);
            int i = from;
            for (int end = Simd.MASKS ? from + S.loopBound(to - from) : from; i < end; i += S.length()) {
                FloatVector v = FloatVector.fromArray(S, x, i);
                zero.blend(v, v.compare(VectorOperators.GT, 0f)).intoArray(y, i);
            }
            for (; i < to; i++) {
                y[i] = x[i] > 0f ? x[i] : 0f;
            }
        });
    }

    // dx = y > 0 ? dy : 0
    static void reluBackward(WorkerPool pool, float[] y, float[] dy, float[] dx, int size) {
        forChunks(pool, size, (from, to) -> {
            FloatVector zero = FloatVector.zero(S);
            int i = from;
            for (int end = Simd.MASKS ? from + S.loopBound(to - from) : from; i < end; i += S.length()) {
                VectorMask<Float> alive = FloatVector.fromArray(S, y, i).compare(VectorOperators.GT, 0f);
                zero.blend(FloatVector.fromArray(S, dy, i), alive).intoArray(dx, i);
            }
            for (; i < to; i++) {
                dx[i] = y[i] > 0f ? dy[i] : 0f;
            }
        });
    }

    // y[n, c, s] += bias[c] over planes of `inner` elements; one task per group of planes
    static void biasAdd(WorkerPool pool, float[] y, float[] bias, int n, int channels, int inner) {
        int planes = n * channels;
        int perTask = Math.max(1, CHUNK / Math.max(1, inner));
        int tasks = (planes + perTask - 1) / perTask;
        pool.run(tasks, (worker, task) -> {
            for (int plane = task * perTask; plane < Math.min(planes, (task + 1) * perTask); plane++) {
                float b = bias[plane % channels];
                FloatVector bv = FloatVector.broadcast(S, b);
                int from = plane * inner;
                int to = from + inner;
                int i = from;
                for (int end = from + S.loopBound(inner); i < end; i += S.length()) {
                    FloatVector.fromArray(S, y, i).add(bv).intoArray(y, i);
                }
                for (; i < to; i++) {
                    y[i] += b;
                }
            }
        });
    }

    // dbias[c] += sum over n and s of dy[n, c, s], summed in the reference's order (n, then s)
    static void biasBackward(WorkerPool pool, float[] dy, float[] dbias, int n, int channels, int inner) {
        pool.run(channels, (worker, c) -> {
            float sum = 0f;
            for (int i = 0; i < n; i++) {
                int base = (i * channels + c) * inner;
                for (int s = 0; s < inner; s++) {
                    sum += dy[base + s];
                }
            }
            dbias[c] += sum;
        });
    }

    // Keras's Adam step: m += (g - m)(1 - b1); v += (g^2 - v)(1 - b2); w -= m alpha / (sqrt(v) + eps)
    static void adam(
            WorkerPool pool,
            float[] w,
            float[] g,
            float[] m,
            float[] v,
            int size,
            float alpha,
            float oneMinusBeta1,
            float oneMinusBeta2,
            float epsilon) {
        forChunks(pool, size, (from, to) -> {
            int i = from;
            for (int end = from + S.loopBound(to - from); i < end; i += S.length()) {
                FloatVector gv = FloatVector.fromArray(S, g, i);
                FloatVector mv = FloatVector.fromArray(S, m, i);
                FloatVector vv = FloatVector.fromArray(S, v, i);
                mv = mv.add(gv.sub(mv).mul(oneMinusBeta1));
                vv = vv.add(gv.mul(gv).sub(vv).mul(oneMinusBeta2));
                mv.intoArray(m, i);
                vv.intoArray(v, i);
                FloatVector step =
                        mv.mul(alpha).div(vv.lanewise(VectorOperators.SQRT).add(epsilon));
                FloatVector.fromArray(S, w, i).sub(step).intoArray(w, i);
            }
            for (; i < to; i++) {
                m[i] += (g[i] - m[i]) * oneMinusBeta1;
                v[i] += (g[i] * g[i] - v[i]) * oneMinusBeta2;
                w[i] -= (m[i] * alpha) / ((float) Math.sqrt(v[i]) + epsilon);
            }
        });
    }
}
