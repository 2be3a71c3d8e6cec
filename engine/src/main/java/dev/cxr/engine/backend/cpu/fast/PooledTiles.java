package dev.cxr.engine.backend.cpu.fast;

import static dev.cxr.engine.backend.cpu.fast.Winograd.LANES;

import dev.cxr.engine.backend.ConvGeometry;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The convolution + 2x2 max pool fusion: a Winograd output tile's values are pooled as the tile is
 * written, so the convolution's output never reaches memory. m is even, so every tile starts on a
 * pooling window.
 */
final class PooledTiles {
    private static final VectorSpecies<Float> S = Simd.S;

    private PooledTiles() {}

    // the m x m output values of LANES tiles (tmp[outOff + (row m + column) LANES + lane], bias and ReLU
    // applied) -> their 2x2 stride-2 max pool, (m/2) x (m/2) values per tile, written into y
    // [N, K, OH / 2, OW / 2]; each window's maximum is taken as the max pool op takes it (the same
    // order and tie rule), so the values equal conv2dForward then maxPoolForward bit for bit
    static void write(WinogradPlan p, float[] tmp, int outOff, float[] y, int k, int firstTile, int lanes) {
        int m = p.v().m;
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
                        tmp[dst + l] = Pooling.max(
                                Pooling.max(Pooling.max(tmp[a + l], tmp[a + LANES + l]), tmp[a + m * LANES + l]),
                                tmp[a + (m + 1) * LANES + l]);
                    }
                }
            }
        }
        ConvGeometry g = p.g();
        int poolH = g.outH() / 2;
        int poolW = g.outW() / 2;
        int tpi = p.tilesPerImage();
        for (int l = 0; l < lanes; l++) {
            int tile = firstTile + l;
            int n = tile / tpi;
            int py = (tile % tpi) / p.tilesW() * h;
            int px = tile % p.tilesW() * h;
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
}
