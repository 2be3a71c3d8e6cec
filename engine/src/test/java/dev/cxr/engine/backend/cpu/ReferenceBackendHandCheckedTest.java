package dev.cxr.engine.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cxr.engine.backend.Backend;
import dev.cxr.engine.backend.ConvSpec;
import dev.cxr.engine.backend.PoolSpec;
import dev.cxr.engine.layers.Dropout;
import dev.cxr.engine.tensor.Shape;
import dev.cxr.engine.tensor.Tensor;
import dev.cxr.engine.testing.Data;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Cases small enough to work out by hand, one per op. */
class ReferenceBackendHandCheckedTest {
    private final Backend backend = new ReferenceBackend();

    /** x[r][c] = 4r + c + 1 on a 4x4 plane. */
    private static float[] ramp4x4() {
        float[] x = new float[16];
        for (int i = 0; i < 16; i++) {
            x[i] = i + 1;
        }
        return x;
    }

    /** [[1, 2, 0], [0, 1, 0], [0, 0, -1]]: out = x[y][x] + 2 x[y][x+1] + x[y+1][x+1] - x[y+2][x+2] (valid). */
    private static final float[] KERNEL = {1, 2, 0, 0, 1, 0, 0, 0, -1};

    @Test
    void conv3x3ValidOn4x4() {
        try (Tensor x = backend.upload(Shape.of(1, 1, 4, 4), ramp4x4());
                Tensor w = backend.upload(Shape.of(1, 1, 3, 3), KERNEL);
                Tensor b = backend.upload(Shape.of(1), new float[] {0.5f});
                Tensor y = backend.zeros(Shape.of(1, 1, 2, 2))) {
            backend.conv2dForward(x, w, b, y, ConvSpec.valid(3, 3, 1, 1), false);
            // (0,0): 1 + 2*2 + 6 - 11 = 0;  (0,1): 2 + 2*3 + 7 - 12 = 3
            // (1,0): 5 + 2*6 + 10 - 15 = 12; (1,1): 6 + 2*7 + 11 - 16 = 15;  all + 0.5
            assertArrayEquals(new float[] {0.5f, 3.5f, 12.5f, 15.5f}, backend.download(y));
        }
    }

    @Test
    void conv3x3SameOn4x4WithRelu() {
        try (Tensor x = backend.upload(Shape.of(1, 1, 4, 4), ramp4x4());
                Tensor w = backend.upload(Shape.of(1, 1, 3, 3), KERNEL);
                Tensor b = backend.upload(Shape.of(1), new float[] {0.5f});
                Tensor y = backend.zeros(Shape.of(1, 1, 4, 4))) {
            ConvSpec same = ConvSpec.same(3, 3, 1, 1, 4, 4);
            assertEquals(new ConvSpec(3, 3, 1, 1, 1, 1, 1, 1), same);
            backend.conv2dForward(x, w, b, y, same, false);
            float[] out = backend.download(y);
            // corner (0,0): only x[0][0]*1 and x[1][1]*(-1) fall inside: 1 - 6 + 0.5 = -4.5
            assertEquals(-4.5f, out[0]);
            // corner (3,3): 2*0 ... x[2][2]*1 + x[2][3]*2 + x[3][3]*1 = 11 + 24 + 16, + 0.5
            assertEquals(51.5f, out[15]);
            // the centre 2x2 equals the valid convolution
            assertArrayEquals(new float[] {0.5f, 3.5f, 12.5f, 15.5f}, new float[] {out[5], out[6], out[9], out[10]});
            backend.conv2dForward(x, w, b, y, same, true);
            assertEquals(0f, backend.download(y)[0], "ReLU clamps the negative corner");
            assertEquals(51.5f, backend.download(y)[15]);
        }
    }

    @Test
    void maxPoolTiesSendTheGradientToTheFirstMaximum() {
        // window A (top-left) all 3s; window B (top-right) [[1, 5], [5, 2]]; C, D distinct maxima
        float[] x = {
            3, 3, 1, 5,
            3, 3, 5, 2,
            0, 9, 4, 4,
            7, 8, 4, 6,
        };
        try (Tensor tx = backend.upload(Shape.of(1, 1, 4, 4), x);
                Tensor y = backend.zeros(Shape.of(1, 1, 2, 2));
                Tensor dy = backend.upload(Shape.of(1, 1, 2, 2), new float[] {10, 20, 30, 40});
                Tensor dx = backend.upload(Shape.of(1, 1, 4, 4), Data.uniform(16, 1f, 1))) {
            backend.maxPoolForward(tx, y, PoolSpec.of(2, 2));
            assertArrayEquals(new float[] {3, 5, 9, 6}, backend.download(y));
            backend.maxPoolBackward(tx, y, dy, dx, PoolSpec.of(2, 2));
            assertArrayEquals(
                    new float[] {
                        10, 0, 0, 20,
                        0, 0, 0, 0,
                        0, 30, 0, 0,
                        0, 0, 0, 40,
                    },
                    backend.download(dx));
        }
    }

    @Test
    void averagePool4x4On7x7SeesOnlyRowsAndColumns0To3() {
        float[] x = new float[49];
        for (int i = 0; i < 49; i++) {
            x[i] = i;
        }
        try (Tensor tx = backend.upload(Shape.of(1, 1, 7, 7), x);
                Tensor y = backend.zeros(Shape.of(1, 1, 1, 1));
                Tensor dy = backend.upload(Shape.of(1, 1, 1, 1), new float[] {16});
                Tensor dx = backend.zeros(Shape.of(1, 1, 7, 7))) {
            backend.avgPoolForward(tx, y, PoolSpec.of(4, 4));
            // mean of r*7 + c for r, c in 0..3 = 7 * 1.5 + 1.5 = 12
            assertEquals(12f, backend.download(y)[0]);
            backend.avgPoolBackward(dy, dx, PoolSpec.of(4, 4));
            float[] g = backend.download(dx);
            for (int r = 0; r < 7; r++) {
                for (int c = 0; c < 7; c++) {
                    assertEquals(r < 4 && c < 4 ? 1f : 0f, g[r * 7 + c], "dx at " + r + "," + c);
                }
            }
        }
    }

    @Test
    void dropoutScalesKeptValuesAndKeepsAboutOneMinusRate() {
        int n = 20_000;
        float[] ones = new float[n];
        java.util.Arrays.fill(ones, 1.5f);
        Dropout dropout = new Dropout(backend, "dropout", 0.25f, new SplittableRandom(5));
        try (Tensor x = backend.upload(Shape.of(2, n / 2), ones)) {
            float[] y = backend.download(dropout.forward(x, true));
            int kept = 0;
            for (float v : y) {
                if (v != 0f) {
                    assertEquals(1.5f / 0.75f, v, 0f, "kept values are scaled by 1 / (1 - rate)");
                    kept++;
                }
            }
            // binomial(20000, 0.75): standard deviation 61, so +-300 is about 5 sigma
            assertEquals(15_000, kept, 300);
            assertSame(x, dropout.forward(x, false), "inference is the identity");
        }
        assertThrows(IllegalArgumentException.class, () -> new Dropout(backend, "d", 1f, new SplittableRandom(1)));
    }

    @Test
    void dropoutMaskRepeatsForTheSameSeed() {
        float[] x = Data.uniform(64, 1f, 6);
        float[][] out = new float[2][];
        for (int run = 0; run < 2; run++) {
            Dropout d = new Dropout(backend, "dropout", 0.5f, new SplittableRandom(7));
            try (Tensor t = backend.upload(Shape.of(4, 16), x)) {
                out[run] = backend.download(d.forward(t, true));
            }
        }
        assertArrayEquals(out[0], out[1]);
    }

    @Test
    void gemmTransposesAndAccumulates() {
        // A = [[1,2,3],[4,5,6]] (2x3), B = [[1,0],[0,1],[1,1]] (3x2): A.B = [[4,5],[10,11]]
        float[] a = {1, 2, 3, 4, 5, 6};
        float[] b = {1, 0, 0, 1, 1, 1};
        float[] aT = {1, 4, 2, 5, 3, 6};
        float[] bT = {1, 0, 1, 0, 1, 1};
        float[] expected = {4, 5, 10, 11};
        for (int mode = 0; mode < 4; mode++) {
            boolean ta = (mode & 1) != 0;
            boolean tb = (mode & 2) != 0;
            try (Tensor ta0 = backend.upload(Shape.of(6), ta ? aT : a);
                    Tensor tb0 = backend.upload(Shape.of(6), tb ? bT : b);
                    Tensor c = backend.upload(Shape.of(2, 2), new float[] {Float.NaN, 1, 1, 1})) {
                backend.gemm(ta, tb, 2, 2, 3, 1f, ta0, tb0, 0f, c);
                assertArrayEquals(expected, backend.download(c), "transA=" + ta + " transB=" + tb);
                backend.gemm(ta, tb, 2, 2, 3, 0.5f, ta0, tb0, 1f, c);
                assertArrayEquals(new float[] {6, 7.5f, 15, 16.5f}, backend.download(c));
            }
        }
    }

    @Test
    void softmaxRowsSumToOneAndSurviveLargeInputs() {
        try (Tensor x = backend.upload(Shape.of(2, 3), new float[] {1000, 1001, 1002, -5, 0, 5});
                Tensor y = backend.zeros(Shape.of(2, 3))) {
            backend.softmaxForward(x, y);
            float[] p = backend.download(y);
            double e = Math.exp(1);
            double z = 1 + e + e * e;
            assertEquals(1 / z, p[0], 1e-6);
            assertEquals(e * e / z, p[2], 1e-6);
            assertEquals(1.0, p[3] + p[4] + p[5], 1e-6);
        }
    }

    @Test
    void biasAlongChannelAxis() {
        try (Tensor y = backend.upload(Shape.of(2, 2, 1, 2), new float[] {1, 1, 1, 1, 2, 2, 2, 2});
                Tensor b = backend.upload(Shape.of(2), new float[] {10, 20});
                Tensor db = backend.upload(Shape.of(2), new float[] {1, 1})) {
            backend.biasAdd(y, b);
            assertArrayEquals(new float[] {11, 11, 21, 21, 12, 12, 22, 22}, backend.download(y));
            backend.biasBackward(y, db);
            assertArrayEquals(new float[] {1 + 11 + 11 + 12 + 12, 1 + 21 + 21 + 22 + 22}, backend.download(db));
        }
    }

    @Test
    void wrongShapesAreNamed() {
        try (Tensor x = backend.zeros(Shape.of(1, 3, 4, 4));
                Tensor w = backend.zeros(Shape.of(2, 4, 3, 3));
                Tensor y = backend.zeros(Shape.of(1, 2, 4, 4))) {
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class,
                    () -> backend.conv2dForward(x, w, null, y, ConvSpec.same(3, 3, 1, 1, 4, 4), false));
            assertTrue(
                    e.getMessage().contains("4 input channels")
                            && e.getMessage().contains("has 3"),
                    e.getMessage());
        }
    }
}
