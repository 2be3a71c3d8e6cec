package dev.cxr.engine.backend.cpu.fast;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register-blocked inner kernel every GEMM-shaped computation here runs on:
 * {@code C[8][w] (+)= A[8][kc] . B[kc][w]} for w = 16, 32 or 48 columns, with the 8 x w block of C
 * held in 8 x w/16 vector registers through the whole reduction. A is packed k-major ({@code a[p*8 + r]}
 * is row r, step p) so the 8 values a step needs are adjacent; B is read row by row (stride ldb).
 *
 * <p>Each call sums one fused multiply-add chain over p = 0 .. kc-1 in order, starting from zero, and
 * stores it, or adds it to what C holds ({@code accumulate}); the same in every kernel width, so
 * where a column lands (which kernel, which lane) never changes its arithmetic. Written out in full:
 * the Vector API keeps vectors in registers only when they are plain locals that no branch replaces.
 */
final class MicroKernel {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_512;
    /** Lanes per vector. */
    static final int L = 16;
    /** Rows of C per kernel call. */
    static final int MR = 8;
    /** Widest kernel, in columns. */
    static final int NR = 48;

    private MicroKernel() {
    }

    /**
     * C[8][width] at c[cOff + r*ldc + j] (+)= sum_p a[aOff + p*8 + r] * b[bOff + p*ldb + j].
     *
     * @param width      16, 32 or 48
     * @param accumulate add the sums to C's contents instead of overwriting them
     */
    static void run(int width, float[] a, int aOff, float[] b, int bOff, int ldb, int kc,
                    float[] c, int cOff, int ldc, boolean accumulate) {
        switch (width) {
            case 48 -> k48(a, aOff, b, bOff, ldb, kc, c, cOff, ldc, accumulate);
            case 32 -> k32(a, aOff, b, bOff, ldb, kc, c, cOff, ldc, accumulate);
            case 16 -> k16(a, aOff, b, bOff, ldb, kc, c, cOff, ldc, accumulate);
            default -> throw new IllegalArgumentException("kernel width must be 16, 32 or 48, got " + width);
        }
    }

    /**
     * The kernel width for the next {@code columns} columns: 48 while at least 48 remain, else the
     * narrowest kernel that covers them all (16, 32 or 48). A caller that runs one kernel over a
     * block of up to 48 columns relies on that: its columns are all computed.
     */
    static int widthFor(int columns) {
        return columns > 32 ? 48 : columns > 16 ? 32 : 16;
    }

    private static void k48(float[] a, int aOff, float[] b, int bOff, int ldb, int kc,
                            float[] c, int cOff, int ldc, boolean accumulate) {
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c01 = c00, c02 = c00, c10 = c00, c11 = c00, c12 = c00, c20 = c00, c21 = c00, c22 = c00, c30 = c00, c31 = c00, c32 = c00, c40 = c00, c41 = c00, c42 = c00, c50 = c00, c51 = c00, c52 = c00, c60 = c00, c61 = c00, c62 = c00, c70 = c00, c71 = c00, c72 = c00;
        int ai = aOff;
        int bi = bOff;
        for (int p = 0; p < kc; p++, ai += MR, bi += ldb) {
            FloatVector b0 = FloatVector.fromArray(S, b, bi + 0);
            FloatVector b1 = FloatVector.fromArray(S, b, bi + 16);
            FloatVector b2 = FloatVector.fromArray(S, b, bi + 32);
            FloatVector x;
            x = FloatVector.broadcast(S, a[ai + 0]);
            c00 = x.fma(b0, c00); c01 = x.fma(b1, c01); c02 = x.fma(b2, c02);
            x = FloatVector.broadcast(S, a[ai + 1]);
            c10 = x.fma(b0, c10); c11 = x.fma(b1, c11); c12 = x.fma(b2, c12);
            x = FloatVector.broadcast(S, a[ai + 2]);
            c20 = x.fma(b0, c20); c21 = x.fma(b1, c21); c22 = x.fma(b2, c22);
            x = FloatVector.broadcast(S, a[ai + 3]);
            c30 = x.fma(b0, c30); c31 = x.fma(b1, c31); c32 = x.fma(b2, c32);
            x = FloatVector.broadcast(S, a[ai + 4]);
            c40 = x.fma(b0, c40); c41 = x.fma(b1, c41); c42 = x.fma(b2, c42);
            x = FloatVector.broadcast(S, a[ai + 5]);
            c50 = x.fma(b0, c50); c51 = x.fma(b1, c51); c52 = x.fma(b2, c52);
            x = FloatVector.broadcast(S, a[ai + 6]);
            c60 = x.fma(b0, c60); c61 = x.fma(b1, c61); c62 = x.fma(b2, c62);
            x = FloatVector.broadcast(S, a[ai + 7]);
            c70 = x.fma(b0, c70); c71 = x.fma(b1, c71); c72 = x.fma(b2, c72);
        }
        if (accumulate) {
            c00.add(FloatVector.fromArray(S, c, cOff + 0 * ldc + 0)).intoArray(c, cOff + 0 * ldc + 0);
            c01.add(FloatVector.fromArray(S, c, cOff + 0 * ldc + 16)).intoArray(c, cOff + 0 * ldc + 16);
            c02.add(FloatVector.fromArray(S, c, cOff + 0 * ldc + 32)).intoArray(c, cOff + 0 * ldc + 32);
            c10.add(FloatVector.fromArray(S, c, cOff + 1 * ldc + 0)).intoArray(c, cOff + 1 * ldc + 0);
            c11.add(FloatVector.fromArray(S, c, cOff + 1 * ldc + 16)).intoArray(c, cOff + 1 * ldc + 16);
            c12.add(FloatVector.fromArray(S, c, cOff + 1 * ldc + 32)).intoArray(c, cOff + 1 * ldc + 32);
            c20.add(FloatVector.fromArray(S, c, cOff + 2 * ldc + 0)).intoArray(c, cOff + 2 * ldc + 0);
            c21.add(FloatVector.fromArray(S, c, cOff + 2 * ldc + 16)).intoArray(c, cOff + 2 * ldc + 16);
            c22.add(FloatVector.fromArray(S, c, cOff + 2 * ldc + 32)).intoArray(c, cOff + 2 * ldc + 32);
            c30.add(FloatVector.fromArray(S, c, cOff + 3 * ldc + 0)).intoArray(c, cOff + 3 * ldc + 0);
            c31.add(FloatVector.fromArray(S, c, cOff + 3 * ldc + 16)).intoArray(c, cOff + 3 * ldc + 16);
            c32.add(FloatVector.fromArray(S, c, cOff + 3 * ldc + 32)).intoArray(c, cOff + 3 * ldc + 32);
            c40.add(FloatVector.fromArray(S, c, cOff + 4 * ldc + 0)).intoArray(c, cOff + 4 * ldc + 0);
            c41.add(FloatVector.fromArray(S, c, cOff + 4 * ldc + 16)).intoArray(c, cOff + 4 * ldc + 16);
            c42.add(FloatVector.fromArray(S, c, cOff + 4 * ldc + 32)).intoArray(c, cOff + 4 * ldc + 32);
            c50.add(FloatVector.fromArray(S, c, cOff + 5 * ldc + 0)).intoArray(c, cOff + 5 * ldc + 0);
            c51.add(FloatVector.fromArray(S, c, cOff + 5 * ldc + 16)).intoArray(c, cOff + 5 * ldc + 16);
            c52.add(FloatVector.fromArray(S, c, cOff + 5 * ldc + 32)).intoArray(c, cOff + 5 * ldc + 32);
            c60.add(FloatVector.fromArray(S, c, cOff + 6 * ldc + 0)).intoArray(c, cOff + 6 * ldc + 0);
            c61.add(FloatVector.fromArray(S, c, cOff + 6 * ldc + 16)).intoArray(c, cOff + 6 * ldc + 16);
            c62.add(FloatVector.fromArray(S, c, cOff + 6 * ldc + 32)).intoArray(c, cOff + 6 * ldc + 32);
            c70.add(FloatVector.fromArray(S, c, cOff + 7 * ldc + 0)).intoArray(c, cOff + 7 * ldc + 0);
            c71.add(FloatVector.fromArray(S, c, cOff + 7 * ldc + 16)).intoArray(c, cOff + 7 * ldc + 16);
            c72.add(FloatVector.fromArray(S, c, cOff + 7 * ldc + 32)).intoArray(c, cOff + 7 * ldc + 32);
        } else {
            c00.intoArray(c, cOff + 0 * ldc + 0);
            c01.intoArray(c, cOff + 0 * ldc + 16);
            c02.intoArray(c, cOff + 0 * ldc + 32);
            c10.intoArray(c, cOff + 1 * ldc + 0);
            c11.intoArray(c, cOff + 1 * ldc + 16);
            c12.intoArray(c, cOff + 1 * ldc + 32);
            c20.intoArray(c, cOff + 2 * ldc + 0);
            c21.intoArray(c, cOff + 2 * ldc + 16);
            c22.intoArray(c, cOff + 2 * ldc + 32);
            c30.intoArray(c, cOff + 3 * ldc + 0);
            c31.intoArray(c, cOff + 3 * ldc + 16);
            c32.intoArray(c, cOff + 3 * ldc + 32);
            c40.intoArray(c, cOff + 4 * ldc + 0);
            c41.intoArray(c, cOff + 4 * ldc + 16);
            c42.intoArray(c, cOff + 4 * ldc + 32);
            c50.intoArray(c, cOff + 5 * ldc + 0);
            c51.intoArray(c, cOff + 5 * ldc + 16);
            c52.intoArray(c, cOff + 5 * ldc + 32);
            c60.intoArray(c, cOff + 6 * ldc + 0);
            c61.intoArray(c, cOff + 6 * ldc + 16);
            c62.intoArray(c, cOff + 6 * ldc + 32);
            c70.intoArray(c, cOff + 7 * ldc + 0);
            c71.intoArray(c, cOff + 7 * ldc + 16);
            c72.intoArray(c, cOff + 7 * ldc + 32);
        }
    }

    private static void k32(float[] a, int aOff, float[] b, int bOff, int ldb, int kc,
                            float[] c, int cOff, int ldc, boolean accumulate) {
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00, c60 = c00, c61 = c00, c70 = c00, c71 = c00;
        int ai = aOff;
        int bi = bOff;
        for (int p = 0; p < kc; p++, ai += MR, bi += ldb) {
            FloatVector b0 = FloatVector.fromArray(S, b, bi + 0);
            FloatVector b1 = FloatVector.fromArray(S, b, bi + 16);
            FloatVector x;
            x = FloatVector.broadcast(S, a[ai + 0]);
            c00 = x.fma(b0, c00); c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, a[ai + 1]);
            c10 = x.fma(b0, c10); c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, a[ai + 2]);
            c20 = x.fma(b0, c20); c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, a[ai + 3]);
            c30 = x.fma(b0, c30); c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(S, a[ai + 4]);
            c40 = x.fma(b0, c40); c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(S, a[ai + 5]);
            c50 = x.fma(b0, c50); c51 = x.fma(b1, c51);
            x = FloatVector.broadcast(S, a[ai + 6]);
            c60 = x.fma(b0, c60); c61 = x.fma(b1, c61);
            x = FloatVector.broadcast(S, a[ai + 7]);
            c70 = x.fma(b0, c70); c71 = x.fma(b1, c71);
        }
        if (accumulate) {
            c00.add(FloatVector.fromArray(S, c, cOff + 0 * ldc + 0)).intoArray(c, cOff + 0 * ldc + 0);
            c01.add(FloatVector.fromArray(S, c, cOff + 0 * ldc + 16)).intoArray(c, cOff + 0 * ldc + 16);
            c10.add(FloatVector.fromArray(S, c, cOff + 1 * ldc + 0)).intoArray(c, cOff + 1 * ldc + 0);
            c11.add(FloatVector.fromArray(S, c, cOff + 1 * ldc + 16)).intoArray(c, cOff + 1 * ldc + 16);
            c20.add(FloatVector.fromArray(S, c, cOff + 2 * ldc + 0)).intoArray(c, cOff + 2 * ldc + 0);
            c21.add(FloatVector.fromArray(S, c, cOff + 2 * ldc + 16)).intoArray(c, cOff + 2 * ldc + 16);
            c30.add(FloatVector.fromArray(S, c, cOff + 3 * ldc + 0)).intoArray(c, cOff + 3 * ldc + 0);
            c31.add(FloatVector.fromArray(S, c, cOff + 3 * ldc + 16)).intoArray(c, cOff + 3 * ldc + 16);
            c40.add(FloatVector.fromArray(S, c, cOff + 4 * ldc + 0)).intoArray(c, cOff + 4 * ldc + 0);
            c41.add(FloatVector.fromArray(S, c, cOff + 4 * ldc + 16)).intoArray(c, cOff + 4 * ldc + 16);
            c50.add(FloatVector.fromArray(S, c, cOff + 5 * ldc + 0)).intoArray(c, cOff + 5 * ldc + 0);
            c51.add(FloatVector.fromArray(S, c, cOff + 5 * ldc + 16)).intoArray(c, cOff + 5 * ldc + 16);
            c60.add(FloatVector.fromArray(S, c, cOff + 6 * ldc + 0)).intoArray(c, cOff + 6 * ldc + 0);
            c61.add(FloatVector.fromArray(S, c, cOff + 6 * ldc + 16)).intoArray(c, cOff + 6 * ldc + 16);
            c70.add(FloatVector.fromArray(S, c, cOff + 7 * ldc + 0)).intoArray(c, cOff + 7 * ldc + 0);
            c71.add(FloatVector.fromArray(S, c, cOff + 7 * ldc + 16)).intoArray(c, cOff + 7 * ldc + 16);
        } else {
            c00.intoArray(c, cOff + 0 * ldc + 0);
            c01.intoArray(c, cOff + 0 * ldc + 16);
            c10.intoArray(c, cOff + 1 * ldc + 0);
            c11.intoArray(c, cOff + 1 * ldc + 16);
            c20.intoArray(c, cOff + 2 * ldc + 0);
            c21.intoArray(c, cOff + 2 * ldc + 16);
            c30.intoArray(c, cOff + 3 * ldc + 0);
            c31.intoArray(c, cOff + 3 * ldc + 16);
            c40.intoArray(c, cOff + 4 * ldc + 0);
            c41.intoArray(c, cOff + 4 * ldc + 16);
            c50.intoArray(c, cOff + 5 * ldc + 0);
            c51.intoArray(c, cOff + 5 * ldc + 16);
            c60.intoArray(c, cOff + 6 * ldc + 0);
            c61.intoArray(c, cOff + 6 * ldc + 16);
            c70.intoArray(c, cOff + 7 * ldc + 0);
            c71.intoArray(c, cOff + 7 * ldc + 16);
        }
    }

    private static void k16(float[] a, int aOff, float[] b, int bOff, int ldb, int kc,
                            float[] c, int cOff, int ldc, boolean accumulate) {
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c10 = c00, c20 = c00, c30 = c00, c40 = c00, c50 = c00, c60 = c00, c70 = c00;
        int ai = aOff;
        int bi = bOff;
        for (int p = 0; p < kc; p++, ai += MR, bi += ldb) {
            FloatVector b0 = FloatVector.fromArray(S, b, bi + 0);
            FloatVector x;
            x = FloatVector.broadcast(S, a[ai + 0]);
            c00 = x.fma(b0, c00);
            x = FloatVector.broadcast(S, a[ai + 1]);
            c10 = x.fma(b0, c10);
            x = FloatVector.broadcast(S, a[ai + 2]);
            c20 = x.fma(b0, c20);
            x = FloatVector.broadcast(S, a[ai + 3]);
            c30 = x.fma(b0, c30);
            x = FloatVector.broadcast(S, a[ai + 4]);
            c40 = x.fma(b0, c40);
            x = FloatVector.broadcast(S, a[ai + 5]);
            c50 = x.fma(b0, c50);
            x = FloatVector.broadcast(S, a[ai + 6]);
            c60 = x.fma(b0, c60);
            x = FloatVector.broadcast(S, a[ai + 7]);
            c70 = x.fma(b0, c70);
        }
        if (accumulate) {
            c00.add(FloatVector.fromArray(S, c, cOff + 0 * ldc + 0)).intoArray(c, cOff + 0 * ldc + 0);
            c10.add(FloatVector.fromArray(S, c, cOff + 1 * ldc + 0)).intoArray(c, cOff + 1 * ldc + 0);
            c20.add(FloatVector.fromArray(S, c, cOff + 2 * ldc + 0)).intoArray(c, cOff + 2 * ldc + 0);
            c30.add(FloatVector.fromArray(S, c, cOff + 3 * ldc + 0)).intoArray(c, cOff + 3 * ldc + 0);
            c40.add(FloatVector.fromArray(S, c, cOff + 4 * ldc + 0)).intoArray(c, cOff + 4 * ldc + 0);
            c50.add(FloatVector.fromArray(S, c, cOff + 5 * ldc + 0)).intoArray(c, cOff + 5 * ldc + 0);
            c60.add(FloatVector.fromArray(S, c, cOff + 6 * ldc + 0)).intoArray(c, cOff + 6 * ldc + 0);
            c70.add(FloatVector.fromArray(S, c, cOff + 7 * ldc + 0)).intoArray(c, cOff + 7 * ldc + 0);
        } else {
            c00.intoArray(c, cOff + 0 * ldc + 0);
            c10.intoArray(c, cOff + 1 * ldc + 0);
            c20.intoArray(c, cOff + 2 * ldc + 0);
            c30.intoArray(c, cOff + 3 * ldc + 0);
            c40.intoArray(c, cOff + 4 * ldc + 0);
            c50.intoArray(c, cOff + 5 * ldc + 0);
            c60.intoArray(c, cOff + 6 * ldc + 0);
            c70.intoArray(c, cOff + 7 * ldc + 0);
        }
    }
}
