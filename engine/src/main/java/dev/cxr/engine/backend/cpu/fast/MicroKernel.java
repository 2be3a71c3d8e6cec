package dev.cxr.engine.backend.cpu.fast;

import static dev.cxr.engine.backend.cpu.fast.Simd.L;
import static dev.cxr.engine.backend.cpu.fast.Simd.S;
import static dev.cxr.engine.backend.cpu.fast.Simd.fma;

import jdk.incubator.vector.FloatVector;

/**
 * The register-blocked inner kernel every GEMM-shaped computation here runs on:
 * {@code C[MR][w] (+)= A[MR][kc] . B[kc][w]} for w = 1 .. NV vectors of columns, with the MR x w block
 * of C held in registers through the whole reduction. The shape follows the machine's registers
 * ({@link Simd}): 8 rows by 3 vectors where there are 32 (AVX-512: 8 x 48 floats; NEON: 8 x 12), 6
 * rows by 2 vectors where there are 16 (AVX2: 6 x 16; SSE: 6 x 8), so that the accumulators, the
 * vectors of B and a broadcast of A all stay in registers. A is packed k-major ({@code a[p*MR + r]} is
 * row r, step p) so the MR values a step needs are adjacent; B is read row by row (stride ldb).
 *
 * <p>Each call sums one multiply-add chain over p = 0 .. kc-1 in order, starting from zero, and
 * stores it, or adds it to what C holds ({@code accumulate}); the same in every kernel width, so
 * where a column lands (which kernel, which lane) never changes its arithmetic. Written out in full
 * (generated once, one method per shape): the Vector API keeps vectors in registers only when they
 * are plain locals that no branch replaces.
 */
final class MicroKernel {
    /** Rows of C per kernel call. */
    static final int MR = Simd.MR;
    /** Widest kernel, in columns. */
    static final int NR = Simd.NR;

    private MicroKernel() {}

    /**
     * C[MR][width] at c[cOff + r*ldc + j] (+)= sum_p a[aOff + p*MR + r] * b[bOff + p*ldb + j].
     *
     * @param width      a multiple of the vector length, at most {@link #NR}
     * @param accumulate add the sums to C's contents instead of overwriting them
     */
    static void run(
            int width,
            float[] a,
            int aOff,
            float[] b,
            int bOff,
            int ldb,
            int kc,
            float[] c,
            int cOff,
            int ldc,
            boolean accumulate) {
        int vectors = width / L;
        if (vectors * L != width || vectors < 1 || vectors > Simd.NV) {
            throw new IllegalArgumentException(
                    "kernel width must be 1 to " + Simd.NV + " vectors of " + L + " floats, got " + width);
        }
        if (MR == 8) {
            switch (vectors) {
                case 3 -> k8x3(a, aOff, b, bOff, ldb, kc, c, cOff, ldc, accumulate);
                case 2 -> k8x2(a, aOff, b, bOff, ldb, kc, c, cOff, ldc, accumulate);
                default -> k8x1(a, aOff, b, bOff, ldb, kc, c, cOff, ldc, accumulate);
            }
        } else {
            switch (vectors) {
                case 2 -> k6x2(a, aOff, b, bOff, ldb, kc, c, cOff, ldc, accumulate);
                default -> k6x1(a, aOff, b, bOff, ldb, kc, c, cOff, ldc, accumulate);
            }
        }
    }

    /**
     * The kernel width for the next {@code columns} columns: {@link #NR} while at least that many
     * remain, else the narrowest kernel that covers them all. A caller that runs one kernel over a
     * block of up to NR columns relies on that: its columns are all computed.
     */
    static int widthFor(int columns) {
        return Math.min(NR, (columns + L - 1) / L * L);
    }

    private static void k8x3(
            float[] a,
            int aOff,
            float[] b,
            int bOff,
            int ldb,
            int kc,
            float[] c,
            int cOff,
            int ldc,
            boolean accumulate) {
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c01 = c00,
                c02 = c00,
                c10 = c00,
                c11 = c00,
                c12 = c00,
                c20 = c00,
                c21 = c00,
                c22 = c00,
                c30 = c00,
                c31 = c00,
                c32 = c00,
                c40 = c00,
                c41 = c00,
                c42 = c00,
                c50 = c00,
                c51 = c00,
                c52 = c00,
                c60 = c00,
                c61 = c00,
                c62 = c00,
                c70 = c00,
                c71 = c00,
                c72 = c00;
        int ai = aOff;
        int bi = bOff;
        for (int p = 0; p < kc; p++, ai += 8, bi += ldb) {
            FloatVector b0 = FloatVector.fromArray(S, b, bi);
            FloatVector b1 = FloatVector.fromArray(S, b, bi + 1 * L);
            FloatVector b2 = FloatVector.fromArray(S, b, bi + 2 * L);
            FloatVector x;
            x = FloatVector.broadcast(S, a[ai + 0]);
            c00 = fma(x, b0, c00);
            c01 = fma(x, b1, c01);
            c02 = fma(x, b2, c02);
            x = FloatVector.broadcast(S, a[ai + 1]);
            c10 = fma(x, b0, c10);
            c11 = fma(x, b1, c11);
            c12 = fma(x, b2, c12);
            x = FloatVector.broadcast(S, a[ai + 2]);
            c20 = fma(x, b0, c20);
            c21 = fma(x, b1, c21);
            c22 = fma(x, b2, c22);
            x = FloatVector.broadcast(S, a[ai + 3]);
            c30 = fma(x, b0, c30);
            c31 = fma(x, b1, c31);
            c32 = fma(x, b2, c32);
            x = FloatVector.broadcast(S, a[ai + 4]);
            c40 = fma(x, b0, c40);
            c41 = fma(x, b1, c41);
            c42 = fma(x, b2, c42);
            x = FloatVector.broadcast(S, a[ai + 5]);
            c50 = fma(x, b0, c50);
            c51 = fma(x, b1, c51);
            c52 = fma(x, b2, c52);
            x = FloatVector.broadcast(S, a[ai + 6]);
            c60 = fma(x, b0, c60);
            c61 = fma(x, b1, c61);
            c62 = fma(x, b2, c62);
            x = FloatVector.broadcast(S, a[ai + 7]);
            c70 = fma(x, b0, c70);
            c71 = fma(x, b1, c71);
            c72 = fma(x, b2, c72);
        }
        if (accumulate) {
            c00.add(FloatVector.fromArray(S, c, cOff + 0 * ldc)).intoArray(c, cOff + 0 * ldc);
            c01.add(FloatVector.fromArray(S, c, cOff + 0 * ldc + 1 * L)).intoArray(c, cOff + 0 * ldc + 1 * L);
            c02.add(FloatVector.fromArray(S, c, cOff + 0 * ldc + 2 * L)).intoArray(c, cOff + 0 * ldc + 2 * L);
            c10.add(FloatVector.fromArray(S, c, cOff + 1 * ldc)).intoArray(c, cOff + 1 * ldc);
            c11.add(FloatVector.fromArray(S, c, cOff + 1 * ldc + 1 * L)).intoArray(c, cOff + 1 * ldc + 1 * L);
            c12.add(FloatVector.fromArray(S, c, cOff + 1 * ldc + 2 * L)).intoArray(c, cOff + 1 * ldc + 2 * L);
            c20.add(FloatVector.fromArray(S, c, cOff + 2 * ldc)).intoArray(c, cOff + 2 * ldc);
            c21.add(FloatVector.fromArray(S, c, cOff + 2 * ldc + 1 * L)).intoArray(c, cOff + 2 * ldc + 1 * L);
            c22.add(FloatVector.fromArray(S, c, cOff + 2 * ldc + 2 * L)).intoArray(c, cOff + 2 * ldc + 2 * L);
            c30.add(FloatVector.fromArray(S, c, cOff + 3 * ldc)).intoArray(c, cOff + 3 * ldc);
            c31.add(FloatVector.fromArray(S, c, cOff + 3 * ldc + 1 * L)).intoArray(c, cOff + 3 * ldc + 1 * L);
            c32.add(FloatVector.fromArray(S, c, cOff + 3 * ldc + 2 * L)).intoArray(c, cOff + 3 * ldc + 2 * L);
            c40.add(FloatVector.fromArray(S, c, cOff + 4 * ldc)).intoArray(c, cOff + 4 * ldc);
            c41.add(FloatVector.fromArray(S, c, cOff + 4 * ldc + 1 * L)).intoArray(c, cOff + 4 * ldc + 1 * L);
            c42.add(FloatVector.fromArray(S, c, cOff + 4 * ldc + 2 * L)).intoArray(c, cOff + 4 * ldc + 2 * L);
            c50.add(FloatVector.fromArray(S, c, cOff + 5 * ldc)).intoArray(c, cOff + 5 * ldc);
            c51.add(FloatVector.fromArray(S, c, cOff + 5 * ldc + 1 * L)).intoArray(c, cOff + 5 * ldc + 1 * L);
            c52.add(FloatVector.fromArray(S, c, cOff + 5 * ldc + 2 * L)).intoArray(c, cOff + 5 * ldc + 2 * L);
            c60.add(FloatVector.fromArray(S, c, cOff + 6 * ldc)).intoArray(c, cOff + 6 * ldc);
            c61.add(FloatVector.fromArray(S, c, cOff + 6 * ldc + 1 * L)).intoArray(c, cOff + 6 * ldc + 1 * L);
            c62.add(FloatVector.fromArray(S, c, cOff + 6 * ldc + 2 * L)).intoArray(c, cOff + 6 * ldc + 2 * L);
            c70.add(FloatVector.fromArray(S, c, cOff + 7 * ldc)).intoArray(c, cOff + 7 * ldc);
            c71.add(FloatVector.fromArray(S, c, cOff + 7 * ldc + 1 * L)).intoArray(c, cOff + 7 * ldc + 1 * L);
            c72.add(FloatVector.fromArray(S, c, cOff + 7 * ldc + 2 * L)).intoArray(c, cOff + 7 * ldc + 2 * L);
        } else {
            c00.intoArray(c, cOff + 0 * ldc);
            c01.intoArray(c, cOff + 0 * ldc + 1 * L);
            c02.intoArray(c, cOff + 0 * ldc + 2 * L);
            c10.intoArray(c, cOff + 1 * ldc);
            c11.intoArray(c, cOff + 1 * ldc + 1 * L);
            c12.intoArray(c, cOff + 1 * ldc + 2 * L);
            c20.intoArray(c, cOff + 2 * ldc);
            c21.intoArray(c, cOff + 2 * ldc + 1 * L);
            c22.intoArray(c, cOff + 2 * ldc + 2 * L);
            c30.intoArray(c, cOff + 3 * ldc);
            c31.intoArray(c, cOff + 3 * ldc + 1 * L);
            c32.intoArray(c, cOff + 3 * ldc + 2 * L);
            c40.intoArray(c, cOff + 4 * ldc);
            c41.intoArray(c, cOff + 4 * ldc + 1 * L);
            c42.intoArray(c, cOff + 4 * ldc + 2 * L);
            c50.intoArray(c, cOff + 5 * ldc);
            c51.intoArray(c, cOff + 5 * ldc + 1 * L);
            c52.intoArray(c, cOff + 5 * ldc + 2 * L);
            c60.intoArray(c, cOff + 6 * ldc);
            c61.intoArray(c, cOff + 6 * ldc + 1 * L);
            c62.intoArray(c, cOff + 6 * ldc + 2 * L);
            c70.intoArray(c, cOff + 7 * ldc);
            c71.intoArray(c, cOff + 7 * ldc + 1 * L);
            c72.intoArray(c, cOff + 7 * ldc + 2 * L);
        }
    }

    private static void k8x2(
            float[] a,
            int aOff,
            float[] b,
            int bOff,
            int ldb,
            int kc,
            float[] c,
            int cOff,
            int ldc,
            boolean accumulate) {
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c01 = c00,
                c10 = c00,
                c11 = c00,
                c20 = c00,
                c21 = c00,
                c30 = c00,
                c31 = c00,
                c40 = c00,
                c41 = c00,
                c50 = c00,
                c51 = c00,
                c60 = c00,
                c61 = c00,
                c70 = c00,
                c71 = c00;
        int ai = aOff;
        int bi = bOff;
        for (int p = 0; p < kc; p++, ai += 8, bi += ldb) {
            FloatVector b0 = FloatVector.fromArray(S, b, bi);
            FloatVector b1 = FloatVector.fromArray(S, b, bi + 1 * L);
            FloatVector x;
            x = FloatVector.broadcast(S, a[ai + 0]);
            c00 = fma(x, b0, c00);
            c01 = fma(x, b1, c01);
            x = FloatVector.broadcast(S, a[ai + 1]);
            c10 = fma(x, b0, c10);
            c11 = fma(x, b1, c11);
            x = FloatVector.broadcast(S, a[ai + 2]);
            c20 = fma(x, b0, c20);
            c21 = fma(x, b1, c21);
            x = FloatVector.broadcast(S, a[ai + 3]);
            c30 = fma(x, b0, c30);
            c31 = fma(x, b1, c31);
            x = FloatVector.broadcast(S, a[ai + 4]);
            c40 = fma(x, b0, c40);
            c41 = fma(x, b1, c41);
            x = FloatVector.broadcast(S, a[ai + 5]);
            c50 = fma(x, b0, c50);
            c51 = fma(x, b1, c51);
            x = FloatVector.broadcast(S, a[ai + 6]);
            c60 = fma(x, b0, c60);
            c61 = fma(x, b1, c61);
            x = FloatVector.broadcast(S, a[ai + 7]);
            c70 = fma(x, b0, c70);
            c71 = fma(x, b1, c71);
        }
        if (accumulate) {
            c00.add(FloatVector.fromArray(S, c, cOff + 0 * ldc)).intoArray(c, cOff + 0 * ldc);
            c01.add(FloatVector.fromArray(S, c, cOff + 0 * ldc + 1 * L)).intoArray(c, cOff + 0 * ldc + 1 * L);
            c10.add(FloatVector.fromArray(S, c, cOff + 1 * ldc)).intoArray(c, cOff + 1 * ldc);
            c11.add(FloatVector.fromArray(S, c, cOff + 1 * ldc + 1 * L)).intoArray(c, cOff + 1 * ldc + 1 * L);
            c20.add(FloatVector.fromArray(S, c, cOff + 2 * ldc)).intoArray(c, cOff + 2 * ldc);
            c21.add(FloatVector.fromArray(S, c, cOff + 2 * ldc + 1 * L)).intoArray(c, cOff + 2 * ldc + 1 * L);
            c30.add(FloatVector.fromArray(S, c, cOff + 3 * ldc)).intoArray(c, cOff + 3 * ldc);
            c31.add(FloatVector.fromArray(S, c, cOff + 3 * ldc + 1 * L)).intoArray(c, cOff + 3 * ldc + 1 * L);
            c40.add(FloatVector.fromArray(S, c, cOff + 4 * ldc)).intoArray(c, cOff + 4 * ldc);
            c41.add(FloatVector.fromArray(S, c, cOff + 4 * ldc + 1 * L)).intoArray(c, cOff + 4 * ldc + 1 * L);
            c50.add(FloatVector.fromArray(S, c, cOff + 5 * ldc)).intoArray(c, cOff + 5 * ldc);
            c51.add(FloatVector.fromArray(S, c, cOff + 5 * ldc + 1 * L)).intoArray(c, cOff + 5 * ldc + 1 * L);
            c60.add(FloatVector.fromArray(S, c, cOff + 6 * ldc)).intoArray(c, cOff + 6 * ldc);
            c61.add(FloatVector.fromArray(S, c, cOff + 6 * ldc + 1 * L)).intoArray(c, cOff + 6 * ldc + 1 * L);
            c70.add(FloatVector.fromArray(S, c, cOff + 7 * ldc)).intoArray(c, cOff + 7 * ldc);
            c71.add(FloatVector.fromArray(S, c, cOff + 7 * ldc + 1 * L)).intoArray(c, cOff + 7 * ldc + 1 * L);
        } else {
            c00.intoArray(c, cOff + 0 * ldc);
            c01.intoArray(c, cOff + 0 * ldc + 1 * L);
            c10.intoArray(c, cOff + 1 * ldc);
            c11.intoArray(c, cOff + 1 * ldc + 1 * L);
            c20.intoArray(c, cOff + 2 * ldc);
            c21.intoArray(c, cOff + 2 * ldc + 1 * L);
            c30.intoArray(c, cOff + 3 * ldc);
            c31.intoArray(c, cOff + 3 * ldc + 1 * L);
            c40.intoArray(c, cOff + 4 * ldc);
            c41.intoArray(c, cOff + 4 * ldc + 1 * L);
            c50.intoArray(c, cOff + 5 * ldc);
            c51.intoArray(c, cOff + 5 * ldc + 1 * L);
            c60.intoArray(c, cOff + 6 * ldc);
            c61.intoArray(c, cOff + 6 * ldc + 1 * L);
            c70.intoArray(c, cOff + 7 * ldc);
            c71.intoArray(c, cOff + 7 * ldc + 1 * L);
        }
    }

    private static void k8x1(
            float[] a,
            int aOff,
            float[] b,
            int bOff,
            int ldb,
            int kc,
            float[] c,
            int cOff,
            int ldc,
            boolean accumulate) {
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c10 = c00, c20 = c00, c30 = c00, c40 = c00, c50 = c00, c60 = c00, c70 = c00;
        int ai = aOff;
        int bi = bOff;
        for (int p = 0; p < kc; p++, ai += 8, bi += ldb) {
            FloatVector b0 = FloatVector.fromArray(S, b, bi);
            FloatVector x;
            x = FloatVector.broadcast(S, a[ai + 0]);
            c00 = fma(x, b0, c00);
            x = FloatVector.broadcast(S, a[ai + 1]);
            c10 = fma(x, b0, c10);
            x = FloatVector.broadcast(S, a[ai + 2]);
            c20 = fma(x, b0, c20);
            x = FloatVector.broadcast(S, a[ai + 3]);
            c30 = fma(x, b0, c30);
            x = FloatVector.broadcast(S, a[ai + 4]);
            c40 = fma(x, b0, c40);
            x = FloatVector.broadcast(S, a[ai + 5]);
            c50 = fma(x, b0, c50);
            x = FloatVector.broadcast(S, a[ai + 6]);
            c60 = fma(x, b0, c60);
            x = FloatVector.broadcast(S, a[ai + 7]);
            c70 = fma(x, b0, c70);
        }
        if (accumulate) {
            c00.add(FloatVector.fromArray(S, c, cOff + 0 * ldc)).intoArray(c, cOff + 0 * ldc);
            c10.add(FloatVector.fromArray(S, c, cOff + 1 * ldc)).intoArray(c, cOff + 1 * ldc);
            c20.add(FloatVector.fromArray(S, c, cOff + 2 * ldc)).intoArray(c, cOff + 2 * ldc);
            c30.add(FloatVector.fromArray(S, c, cOff + 3 * ldc)).intoArray(c, cOff + 3 * ldc);
            c40.add(FloatVector.fromArray(S, c, cOff + 4 * ldc)).intoArray(c, cOff + 4 * ldc);
            c50.add(FloatVector.fromArray(S, c, cOff + 5 * ldc)).intoArray(c, cOff + 5 * ldc);
            c60.add(FloatVector.fromArray(S, c, cOff + 6 * ldc)).intoArray(c, cOff + 6 * ldc);
            c70.add(FloatVector.fromArray(S, c, cOff + 7 * ldc)).intoArray(c, cOff + 7 * ldc);
        } else {
            c00.intoArray(c, cOff + 0 * ldc);
            c10.intoArray(c, cOff + 1 * ldc);
            c20.intoArray(c, cOff + 2 * ldc);
            c30.intoArray(c, cOff + 3 * ldc);
            c40.intoArray(c, cOff + 4 * ldc);
            c50.intoArray(c, cOff + 5 * ldc);
            c60.intoArray(c, cOff + 6 * ldc);
            c70.intoArray(c, cOff + 7 * ldc);
        }
    }

    private static void k6x2(
            float[] a,
            int aOff,
            float[] b,
            int bOff,
            int ldb,
            int kc,
            float[] c,
            int cOff,
            int ldc,
            boolean accumulate) {
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c01 = c00,
                c10 = c00,
                c11 = c00,
                c20 = c00,
                c21 = c00,
                c30 = c00,
                c31 = c00,
                c40 = c00,
                c41 = c00,
                c50 = c00,
                c51 = c00;
        int ai = aOff;
        int bi = bOff;
        for (int p = 0; p < kc; p++, ai += 6, bi += ldb) {
            FloatVector b0 = FloatVector.fromArray(S, b, bi);
            FloatVector b1 = FloatVector.fromArray(S, b, bi + 1 * L);
            FloatVector x;
            x = FloatVector.broadcast(S, a[ai + 0]);
            c00 = fma(x, b0, c00);
            c01 = fma(x, b1, c01);
            x = FloatVector.broadcast(S, a[ai + 1]);
            c10 = fma(x, b0, c10);
            c11 = fma(x, b1, c11);
            x = FloatVector.broadcast(S, a[ai + 2]);
            c20 = fma(x, b0, c20);
            c21 = fma(x, b1, c21);
            x = FloatVector.broadcast(S, a[ai + 3]);
            c30 = fma(x, b0, c30);
            c31 = fma(x, b1, c31);
            x = FloatVector.broadcast(S, a[ai + 4]);
            c40 = fma(x, b0, c40);
            c41 = fma(x, b1, c41);
            x = FloatVector.broadcast(S, a[ai + 5]);
            c50 = fma(x, b0, c50);
            c51 = fma(x, b1, c51);
        }
        if (accumulate) {
            c00.add(FloatVector.fromArray(S, c, cOff + 0 * ldc)).intoArray(c, cOff + 0 * ldc);
            c01.add(FloatVector.fromArray(S, c, cOff + 0 * ldc + 1 * L)).intoArray(c, cOff + 0 * ldc + 1 * L);
            c10.add(FloatVector.fromArray(S, c, cOff + 1 * ldc)).intoArray(c, cOff + 1 * ldc);
            c11.add(FloatVector.fromArray(S, c, cOff + 1 * ldc + 1 * L)).intoArray(c, cOff + 1 * ldc + 1 * L);
            c20.add(FloatVector.fromArray(S, c, cOff + 2 * ldc)).intoArray(c, cOff + 2 * ldc);
            c21.add(FloatVector.fromArray(S, c, cOff + 2 * ldc + 1 * L)).intoArray(c, cOff + 2 * ldc + 1 * L);
            c30.add(FloatVector.fromArray(S, c, cOff + 3 * ldc)).intoArray(c, cOff + 3 * ldc);
            c31.add(FloatVector.fromArray(S, c, cOff + 3 * ldc + 1 * L)).intoArray(c, cOff + 3 * ldc + 1 * L);
            c40.add(FloatVector.fromArray(S, c, cOff + 4 * ldc)).intoArray(c, cOff + 4 * ldc);
            c41.add(FloatVector.fromArray(S, c, cOff + 4 * ldc + 1 * L)).intoArray(c, cOff + 4 * ldc + 1 * L);
            c50.add(FloatVector.fromArray(S, c, cOff + 5 * ldc)).intoArray(c, cOff + 5 * ldc);
            c51.add(FloatVector.fromArray(S, c, cOff + 5 * ldc + 1 * L)).intoArray(c, cOff + 5 * ldc + 1 * L);
        } else {
            c00.intoArray(c, cOff + 0 * ldc);
            c01.intoArray(c, cOff + 0 * ldc + 1 * L);
            c10.intoArray(c, cOff + 1 * ldc);
            c11.intoArray(c, cOff + 1 * ldc + 1 * L);
            c20.intoArray(c, cOff + 2 * ldc);
            c21.intoArray(c, cOff + 2 * ldc + 1 * L);
            c30.intoArray(c, cOff + 3 * ldc);
            c31.intoArray(c, cOff + 3 * ldc + 1 * L);
            c40.intoArray(c, cOff + 4 * ldc);
            c41.intoArray(c, cOff + 4 * ldc + 1 * L);
            c50.intoArray(c, cOff + 5 * ldc);
            c51.intoArray(c, cOff + 5 * ldc + 1 * L);
        }
    }

    private static void k6x1(
            float[] a,
            int aOff,
            float[] b,
            int bOff,
            int ldb,
            int kc,
            float[] c,
            int cOff,
            int ldc,
            boolean accumulate) {
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c10 = c00, c20 = c00, c30 = c00, c40 = c00, c50 = c00;
        int ai = aOff;
        int bi = bOff;
        for (int p = 0; p < kc; p++, ai += 6, bi += ldb) {
            FloatVector b0 = FloatVector.fromArray(S, b, bi);
            FloatVector x;
            x = FloatVector.broadcast(S, a[ai + 0]);
            c00 = fma(x, b0, c00);
            x = FloatVector.broadcast(S, a[ai + 1]);
            c10 = fma(x, b0, c10);
            x = FloatVector.broadcast(S, a[ai + 2]);
            c20 = fma(x, b0, c20);
            x = FloatVector.broadcast(S, a[ai + 3]);
            c30 = fma(x, b0, c30);
            x = FloatVector.broadcast(S, a[ai + 4]);
            c40 = fma(x, b0, c40);
            x = FloatVector.broadcast(S, a[ai + 5]);
            c50 = fma(x, b0, c50);
        }
        if (accumulate) {
            c00.add(FloatVector.fromArray(S, c, cOff + 0 * ldc)).intoArray(c, cOff + 0 * ldc);
            c10.add(FloatVector.fromArray(S, c, cOff + 1 * ldc)).intoArray(c, cOff + 1 * ldc);
            c20.add(FloatVector.fromArray(S, c, cOff + 2 * ldc)).intoArray(c, cOff + 2 * ldc);
            c30.add(FloatVector.fromArray(S, c, cOff + 3 * ldc)).intoArray(c, cOff + 3 * ldc);
            c40.add(FloatVector.fromArray(S, c, cOff + 4 * ldc)).intoArray(c, cOff + 4 * ldc);
            c50.add(FloatVector.fromArray(S, c, cOff + 5 * ldc)).intoArray(c, cOff + 5 * ldc);
        } else {
            c00.intoArray(c, cOff + 0 * ldc);
            c10.intoArray(c, cOff + 1 * ldc);
            c20.intoArray(c, cOff + 2 * ldc);
            c30.intoArray(c, cOff + 3 * ldc);
            c40.intoArray(c, cOff + 4 * ldc);
            c50.intoArray(c, cOff + 5 * ldc);
        }
    }
}
