package dev.cxr.engine.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cxr.engine.testing.Data;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RandomRotationTest {
    /**
     * scipy interpolates in float64 and rounds to float32, as we do, but may sum the four
     * neighbours in another order: allow 2 ulp at the values used here (at most 10.5, ulp 9.5e-7).
     */
    private static final float SCIPY_TOL = 2e-6f;
    /** cos(pi/2) is 6e-17 in double, not 0: a quarter turn is exact up to that, far below float's ulp. */
    private static final float QUARTER_TURN_TOL = 1e-6f;

    /** 4 rows x 5 columns, values 1.0, 1.5, ..., 10.5 row-major. */
    private static float[] ramp4x5() {
        float[] x = new float[20];
        for (int i = 0; i < 20; i++) {
            x[i] = i * 0.5f + 1f;
        }
        return x;
    }

    @Test
    void zeroDegreesIsTheIdentity() {
        float[] x = Data.uniform(3 * 7 * 9, 2f, 1);
        float[] y = new float[x.length];
        RandomRotation.rotate(x, 0, y, 0, 3, 7, 9, 0.0);
        assertArrayEquals(x, y);
    }

    @Test
    void quarterTurnOnASquareIsAnExactRotation() {
        // out[r][c] = in[n-1-c][r]: the top-left pixel moves to the top-right (clockwise)
        float[] x = {1, 2, 3, 4, 5, 6, 7, 8, 9};
        float[] y = new float[9];
        RandomRotation.rotate(x, 0, y, 0, 1, 3, 3, 90.0);
        assertArrayEquals(new float[] {7, 4, 1, 8, 5, 2, 9, 6, 3}, y, QUARTER_TURN_TOL);

        int n = 6;
        float[] big = Data.uniform(2 * n * n, 1f, 2);
        float[] out = new float[big.length];
        RandomRotation.rotate(big, 0, out, 0, 2, n, n, 90.0);
        for (int ch = 0; ch < 2; ch++) {
            for (int r = 0; r < n; r++) {
                for (int c = 0; c < n; c++) {
                    assertEquals(
                            big[ch * n * n + (n - 1 - c) * n + r],
                            out[ch * n * n + r * n + c],
                            QUARTER_TURN_TOL,
                            "channel " + ch + " pixel (" + r + "," + c + ")");
                }
            }
        }
    }

    @Test
    void fortyFiveDegreesByHand() {
        // 3x3 at 45 degrees. The centre maps to itself. Output (0,1) reads the input at
        // (1 - s, 1 - s) with s = sqrt(2)/2, i.e. (0.2929, 0.2929): bilinear between (0,0), (0,1),
        // (1,0), (1,1). Output (0,0) reads (1, 1 - sqrt(2)) = (1, -0.414): outside, so the
        // nearest edge pixel (1,0).
        float[] x = {1, 2, 3, 4, 5, 6, 7, 8, 9};
        float[] y = new float[9];
        RandomRotation.rotate(x, 0, y, 0, 1, 3, 3, 45.0);
        double t = 1 - Math.sqrt(0.5);
        double expected01 = (1 - t) * (1 - t) * 1 + (1 - t) * t * 2 + t * (1 - t) * 4 + t * t * 5;
        assertEquals(5f, y[4], QUARTER_TURN_TOL, "the centre stays");
        assertEquals((float) expected01, y[1], SCIPY_TOL, "output (0,1)");
        assertEquals(4f, y[0], QUARTER_TURN_TOL, "output (0,0) is filled from the nearest edge pixel (1,0)");
    }

    @Test
    void matchesScipyAffineTransformAsKerasCallsIt() {
        // Expected values from scipy 1.17 ndimage.affine_transform(x, m[:2,:2], m[:2,2], order=1,
        // mode='nearest') with m built as keras_preprocessing 1.1's apply_affine_transform(theta)
        // builds it (rotation matrix offset to the centre (h/2 - 0.5, w/2 - 0.5)).
        float[] plus10 = {
            1.925211787223816f,
            1.8684513568878174f,
            1.9267348051071167f,
            2.3621678352355957f,
            2.854571580886841f,
            4.387231349945068f,
            4.417294979095459f,
            4.475578308105469f,
            4.5338616371154785f,
            4.592144966125488f,
            6.907855033874512f,
            6.9661383628845215f,
            7.024421691894531f,
            7.082705020904541f,
            7.112768650054932f,
            8.645428657531738f,
            9.137832641601562f,
            9.573265075683594f,
            9.631548881530762f,
            9.574788093566895f
        };
        float[] minus15 = {
            1.2281885147094727f,
            1.711151361465454f,
            2.321892499923706f,
            3.4519028663635254f,
            4.421873569488525f,
            2.347276449203491f,
            3.4772870540618896f,
            4.607297420501709f,
            5.737308025360107f,
            6.836688041687012f,
            4.663311958312988f,
            5.762691974639893f,
            6.892702579498291f,
            8.022712707519531f,
            9.15272331237793f,
            7.078126430511475f,
            8.048096656799316f,
            9.178107261657715f,
            9.788848876953125f,
            10.271811485290527f
        };
        float[] y = new float[20];
        RandomRotation.rotate(ramp4x5(), 0, y, 0, 1, 4, 5, 10.0);
        assertArrayEquals(plus10, y, SCIPY_TOL);
        RandomRotation.rotate(ramp4x5(), 0, y, 0, 1, 4, 5, -15.0);
        assertArrayEquals(minus15, y, SCIPY_TOL);
    }

    @Test
    void everyChannelGetsTheSameGeometry() {
        float[] x = new float[3 * 20];
        float[] ramp = ramp4x5();
        for (int ch = 0; ch < 3; ch++) {
            for (int i = 0; i < 20; i++) {
                x[ch * 20 + i] = ramp[i] * (ch + 1); // bilinear is linear: channel k is k times channel 1
            }
        }
        float[] y = new float[x.length];
        RandomRotation.rotate(x, 0, y, 0, 3, 4, 5, 12.5);
        for (int ch = 1; ch < 3; ch++) {
            for (int i = 0; i < 20; i++) {
                assertEquals(y[i] * (ch + 1), y[ch * 20 + i], 1e-5f);
            }
        }
    }

    @Test
    void seededDrawsAreDeterministicAndWithinTheRange() {
        RandomRotation rot = new RandomRotation(15);
        float[] x = Data.uniform(4 * 3 * 8 * 8, 1f, 3);
        float[] a = new float[x.length];
        float[] b = new float[x.length];
        double[] anglesA = rot.apply(x, a, 4, 3, 8, 8, new SplittableRandom(42));
        double[] anglesB = rot.apply(x, b, 4, 3, 8, 8, new SplittableRandom(42));
        assertArrayEquals(anglesA, anglesB);
        assertArrayEquals(a, b);
        double[] other = rot.apply(x, b, 4, 3, 8, 8, new SplittableRandom(43));
        assertNotEquals(anglesA[0], other[0]);

        SplittableRandom r = new SplittableRandom(7);
        double min = 0;
        double max = 0;
        for (int i = 0; i < 10_000; i++) {
            double d = rot.drawAngle(r);
            assertTrue(d >= -15 && d < 15, "angle " + d + " outside [-15, 15)");
            min = Math.min(min, d);
            max = Math.max(max, d);
        }
        assertTrue(min < -14.9 && max > 14.9, "draws should cover the range, got " + min + ".." + max);
    }

    @Test
    void rejectsBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> new RandomRotation(-1));
        assertThrows(IllegalArgumentException.class, () -> new RandomRotation(Double.NaN));
        float[] x = new float[9];
        assertThrows(IllegalArgumentException.class, () -> RandomRotation.rotate(x, 0, x, 0, 1, 3, 3, 5));
        assertThrows(
                IllegalArgumentException.class,
                () -> new RandomRotation(15).apply(x, new float[9], 2, 1, 3, 3, new SplittableRandom(1)));
    }
}
