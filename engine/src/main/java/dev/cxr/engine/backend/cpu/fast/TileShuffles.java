package dev.cxr.engine.backend.cpu.fast;

import static dev.cxr.engine.backend.cpu.fast.Winograd.LANES;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Lane shuffles between "one value per tile" vectors (lane l holds a value of tile l) and rows of
 * the image, where LANES neighbouring tiles lie side by side, m columns each.
 */
final class TileShuffles {
    private static final VectorSpecies<Float> S = Simd.S;

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
    static void split(int m, float[] a, int o, int count, float[] dst, int dOff, int dStride) {
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
                a0.rearrange(sh)
                        .blend(a1.rearrange(sh), from[1])
                        .blend(a2.rearrange(sh), from[2])
                        .blend(a3.rearrange(sh), from[3])
                        .intoArray(dst, dOff + ph * dStride);
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
    static void interleave(int m, float[] src, int o, float[] y, int d) {
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
                v0.rearrange(sh)
                        .blend(v1.rearrange(sh), e1)
                        .blend(v2.rearrange(sh), e2)
                        .blend(v3.rearrange(sh), e3)
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

    private TileShuffles() {}
}
