package dev.cxr.engine.backend.cpu.fast;

import static dev.cxr.engine.backend.cpu.fast.Simd.fma;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Winograd's minimal filtering for 3x3 kernels, F(m x m, 3 x 3): an (m+2) x (m+2) input tile d
 * and a kernel g give an m x m output tile y = A^T [(G g G^T) . (B^T d B)] A, where . multiplies
 * elementwise. Per output that is (m+2)^2 / m^2 multiplications instead of 9: 4 for F(2x2)
 * (2.25x fewer), 2.25 for F(4x4) (4x fewer). The matrices use the interpolation points
 * 0, 1, -1 (F2) and 0, 1, -1, 2, -2 (F4), plus the point at infinity.
 *
 * <p>Kernels are transformed once, in double precision, then rounded to float. Input and output
 * transforms run on one tile per SIMD lane (16, 8 or 4 at a time), as one-dimensional transforms applied to
 * columns and then to rows; they are written out term by term (the zero-free form of B^T and A^T).
 */
enum Winograd {
    F2(2, new double[][] {
        {1, 0, 0},
        {0.5, 0.5, 0.5},
        {0.5, -0.5, 0.5},
        {0, 0, 1},
    }),
    F4(4, new double[][] {
        {1 / 4.0, 0, 0},
        {-1 / 6.0, -1 / 6.0, -1 / 6.0},
        {-1 / 6.0, 1 / 6.0, -1 / 6.0},
        {1 / 24.0, 1 / 12.0, 1 / 6.0},
        {1 / 24.0, -1 / 12.0, 1 / 6.0},
        {0, 0, 1},
    });

    private static final VectorSpecies<Float> S = Simd.S;
    /** Tiles per vector: one per lane. */
    static final int LANES = Simd.L;

    /** Output tile side. */
    final int m;
    /** Input tile side, m + 2. */
    final int alpha;
    /** The kernel transform G, alpha x 3. */
    private final double[][] g;

    Winograd(int m, double[][] g) {
        this.m = m;
        this.alpha = m + 2;
        this.g = g;
    }

    /** Elements of a transformed tile (alpha^2): the number of independent GEMMs. */
    int points() {
        return alpha * alpha;
    }

    /** The kernel transform matrix G (alpha x 3), for tests. */
    double[][] kernelMatrix() {
        return g.clone();
    }

    /**
     * Transforms kernels w [K, C, 3, 3] into U = G g G^T, packed for {@link MicroKernel} as
     * u[((xi * kPanels + k / MR) * C + c) * MR + k % MR] for xi = i * alpha + j; K is padded to a
     * multiple of MR with zero kernels. Output channels kFrom .. kTo (whole panels) only.
     */
    void transformKernels(float[] w, int kk, int cc, float[] u, int kFrom, int kTo) {
        int kPanels = (kk + MicroKernel.MR - 1) / MicroKernel.MR;
        double[] tmp = new double[alpha * 3];
        for (int k = kFrom; k < kTo; k++) {
            for (int c = 0; c < cc; c++) {
                int wi = (k * cc + c) * 9;
                // tmp = G g  (alpha x 3)
                for (int i = 0; i < alpha; i++) {
                    for (int j = 0; j < 3; j++) {
                        double sum = 0;
                        if (k < kk) {
                            for (int t = 0; t < 3; t++) {
                                sum += g[i][t] * w[wi + t * 3 + j];
                            }
                        }
                        tmp[i * 3 + j] = sum;
                    }
                }
                // U = tmp G^T  (alpha x alpha)
                for (int i = 0; i < alpha; i++) {
                    for (int j = 0; j < alpha; j++) {
                        double sum = 0;
                        for (int t = 0; t < 3; t++) {
                            sum += tmp[i * 3 + t] * g[j][t];
                        }
                        int xi = i * alpha + j;
                        u[((xi * kPanels + k / MicroKernel.MR) * cc + c) * MicroKernel.MR + k % MicroKernel.MR] =
                                (float) sum;
                    }
                }
            }
        }
    }

    /**
     * Two-dimensional input transform B^T d B of LANES tiles, one per lane: d[r][s] at
     * src[off + (r * alpha + s) * stride], result xi = r * alpha + s at dst[dOff + xi * dStride];
     * tmp holds alpha^2 vectors in between.
     */
    void inputTile(float[] src, int off, int stride, float[] tmp, float[] dst, int dOff, int dStride) {
        // The one-dimensional transform is applied to the columns, then to the rows. It is called from
        // one place per variant, in a loop: the JIT inlines it once, and a method holding many copies
        // of vector code can exceed the JIT's inlining budget, which silently turns vector
        // operations into slow, allocating calls.
        int n = 2 * alpha;
        for (int i = 0; i < n; i++) {
            boolean columns = i < alpha;
            int j = columns ? i : i - alpha;
            float[] from = columns ? src : tmp;
            int at = columns ? off + j * stride : j * alpha * LANES;
            int step = columns ? alpha * stride : LANES;
            float[] to = columns ? tmp : dst;
            int put = columns ? j * LANES : dOff + j * alpha * dStride;
            int putStep = columns ? alpha * LANES : dStride;
            if (this == F4) {
                input4(from, at, step, to, put, putStep);
            } else {
                input2(from, at, step, to, put, putStep);
            }
        }
    }

    /**
     * Two-dimensional output transform A^T M A of LANES tiles: M[i][j] at src[off + (i * alpha + j) * stride],
     * the m x m result (row r, column q) at tmp[outOff + (r * m + q) * LANES]; tmp[0 .. alpha m LANES)
     * is used in between.
     */
    void outputTile(float[] src, int off, int stride, float[] tmp, int outOff) {
        int n = alpha + m;
        for (int i = 0; i < n; i++) {
            boolean columns = i < alpha;
            int j = columns ? i : i - alpha;
            float[] from = columns ? src : tmp;
            int at = columns ? off + j * stride : j * alpha * LANES;
            int step = columns ? alpha * stride : LANES;
            int put = columns ? j * LANES : outOff + j * m * LANES;
            int putStep = columns ? alpha * LANES : LANES;
            if (this == F4) {
                output4(from, at, step, tmp, put, putStep);
            } else {
                output2(from, at, step, tmp, put, putStep);
            }
        }
    }

    // B^T (F2) = [1 0 -1 0; 0 1 1 0; 0 -1 1 0; 0 1 0 -1]
    private static void input2(float[] src, int off, int stride, float[] dst, int dOff, int dStride) {
        FloatVector d0 = FloatVector.fromArray(S, src, off);
        FloatVector d1 = FloatVector.fromArray(S, src, off + stride);
        FloatVector d2 = FloatVector.fromArray(S, src, off + 2 * stride);
        FloatVector d3 = FloatVector.fromArray(S, src, off + 3 * stride);
        d0.sub(d2).intoArray(dst, dOff);
        d1.add(d2).intoArray(dst, dOff + dStride);
        d2.sub(d1).intoArray(dst, dOff + 2 * dStride);
        d1.sub(d3).intoArray(dst, dOff + 3 * dStride);
    }

    // A^T (F2) = [1 1 1 0; 0 1 -1 -1]
    private static void output2(float[] src, int off, int stride, float[] dst, int dOff, int dStride) {
        FloatVector m0 = FloatVector.fromArray(S, src, off);
        FloatVector m1 = FloatVector.fromArray(S, src, off + stride);
        FloatVector m2 = FloatVector.fromArray(S, src, off + 2 * stride);
        FloatVector m3 = FloatVector.fromArray(S, src, off + 3 * stride);
        m0.add(m1).add(m2).intoArray(dst, dOff);
        m1.sub(m2).sub(m3).intoArray(dst, dOff + dStride);
    }

    // B^T (F4) = [4  0 -5  0 1 0]
    //            [0 -4 -4  1 1 0]
    //            [0  4 -4 -1 1 0]
    //            [0 -2 -1  2 1 0]
    //            [0  2 -1 -2 1 0]
    //            [0  4  0 -5 0 1]
    private static void input4(float[] src, int off, int stride, float[] dst, int dOff, int dStride) {
        FloatVector d0 = FloatVector.fromArray(S, src, off);
        FloatVector d1 = FloatVector.fromArray(S, src, off + stride);
        FloatVector d2 = FloatVector.fromArray(S, src, off + 2 * stride);
        FloatVector d3 = FloatVector.fromArray(S, src, off + 3 * stride);
        FloatVector d4 = FloatVector.fromArray(S, src, off + 4 * stride);
        FloatVector d5 = FloatVector.fromArray(S, src, off + 5 * stride);
        FloatVector four = FloatVector.broadcast(S, 4f);
        FloatVector minusFour = FloatVector.broadcast(S, -4f);
        FloatVector minusFive = FloatVector.broadcast(S, -5f);
        FloatVector two = FloatVector.broadcast(S, 2f);
        FloatVector minusTwo = FloatVector.broadcast(S, -2f);
        // u0 = 4 d0 - 5 d2 + d4
        fma(d0, four, fma(d2, minusFive, d4)).intoArray(dst, dOff);
        // u1 = (d3 + d4) - 4 (d1 + d2);  u2 = (d4 - d3) + 4 (d1 - d2)
        fma(d1.add(d2), minusFour, d3.add(d4)).intoArray(dst, dOff + dStride);
        fma(d1.sub(d2), four, d4.sub(d3)).intoArray(dst, dOff + 2 * dStride);
        // u3 = (d4 - d2) + 2 (d3 - d1);  u4 = (d4 - d2) - 2 (d3 - d1)
        FloatVector e = d4.sub(d2);
        FloatVector f = d3.sub(d1);
        fma(f, two, e).intoArray(dst, dOff + 3 * dStride);
        fma(f, minusTwo, e).intoArray(dst, dOff + 4 * dStride);
        // u5 = 4 d1 - 5 d3 + d5
        fma(d1, four, fma(d3, minusFive, d5)).intoArray(dst, dOff + 5 * dStride);
    }

    // A^T (F4) = [1 1  1 1  1 0]
    //            [0 1 -1 2 -2 0]
    //            [0 1  1 4  4 0]
    //            [0 1 -1 8 -8 1]
    private static void output4(float[] src, int off, int stride, float[] dst, int dOff, int dStride) {
        FloatVector m0 = FloatVector.fromArray(S, src, off);
        FloatVector m1 = FloatVector.fromArray(S, src, off + stride);
        FloatVector m2 = FloatVector.fromArray(S, src, off + 2 * stride);
        FloatVector m3 = FloatVector.fromArray(S, src, off + 3 * stride);
        FloatVector m4 = FloatVector.fromArray(S, src, off + 4 * stride);
        FloatVector m5 = FloatVector.fromArray(S, src, off + 5 * stride);
        FloatVector a = m1.add(m2);
        FloatVector b = m1.sub(m2);
        FloatVector c = m3.add(m4);
        FloatVector d = m3.sub(m4);
        FloatVector two = FloatVector.broadcast(S, 2f);
        FloatVector four = FloatVector.broadcast(S, 4f);
        FloatVector eight = FloatVector.broadcast(S, 8f);
        m0.add(a).add(c).intoArray(dst, dOff);
        fma(d, two, b).intoArray(dst, dOff + dStride);
        fma(c, four, a).intoArray(dst, dOff + 2 * dStride);
        fma(d, eight, b).add(m5).intoArray(dst, dOff + 3 * dStride);
    }
}
