package dev.cxr.model.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClassificationMetricsTest {
    /** Wilson bounds below are rounded to 4 decimals by hand. */
    private static final double ROUNDED = 5e-5;

    @Test
    void wilsonIntervalsByHand() {
        // 9/10: centre (0.9 + 1.9208/10) / 1.38415 = 0.7890, half-width 0.1932
        Wilson w = Wilson.of(9, 10);
        assertEquals(0.9, w.estimate(), 1e-12);
        assertEquals(0.5958, w.lower(), ROUNDED);
        assertEquals(0.9821, w.upper(), ROUNDED);
        Wilson all = Wilson.of(5, 5);
        assertEquals(1.0, all.upper(), 1e-12);
        assertEquals(0.5655, all.lower(), ROUNDED);
        Wilson none = Wilson.of(0, 5);
        assertEquals(0.0, none.lower(), 1e-12);
        assertEquals(0.4345, none.upper(), ROUNDED);
        assertTrue(Double.isNaN(Wilson.of(0, 0).estimate()));
    }

    @Test
    void reportByHand() {
        // 5 covid (0), 5 normal (1); one covid called normal, one normal called covid
        int[] labels = {0, 0, 0, 0, 0, 1, 1, 1, 1, 1};
        float[][] p = {
            {0.9f, 0.1f}, {0.8f, 0.2f}, {0.7f, 0.3f}, {0.6f, 0.4f}, {0.4f, 0.6f},
            {0.45f, 0.55f}, {0.3f, 0.7f}, {0.2f, 0.8f}, {0.1f, 0.9f}, {0.65f, 0.35f},
        };
        ClassificationMetrics m = ClassificationMetrics.of(List.of("covid", "normal"), labels, p);
        assertArrayEquals(new int[] {4, 1}, m.confusion()[0]);
        assertArrayEquals(new int[] {1, 4}, m.confusion()[1]);
        assertArrayEquals(new double[] {0.8, 0.8}, m.precision(), 1e-12);
        assertArrayEquals(new double[] {0.8, 0.8}, m.recall(), 1e-12);
        assertArrayEquals(new double[] {0.8, 0.8}, m.f1(), 1e-12);
        assertArrayEquals(new int[] {5, 5}, m.support());
        assertEquals(8, m.accuracy().successes());
        assertEquals(10, m.accuracy().n());
        assertEquals(4, m.sensitivity().successes());
        assertEquals(5, m.sensitivity().n());
        assertEquals(4, m.specificity().successes());
        // AUC on p(covid): covid scores .9 .8 .7 .6 .4 vs normal .45 .3 .2 .1 .65:
        // pairs won: .9:5 .8:5 .7:5 .6:4 .4:3 = 22 of 25
        assertEquals(22 / 25.0, m.rocAuc(), 1e-12);
    }

    @Test
    void undefinedDenominatorsGiveZeroOrNaN() {
        // nothing predicted normal; no normal images at all
        ClassificationMetrics m = ClassificationMetrics.of(
                List.of("covid", "normal"), new int[] {0, 0}, new float[][] {{0.9f, 0.1f}, {0.6f, 0.4f}});
        assertEquals(0.0, m.precision()[1]);
        assertEquals(0, m.specificity().n());
        assertTrue(Double.isNaN(m.rocAuc()));
        assertEquals(0.5, ClassificationMetrics.rocAuc(new double[] {0.5, 0.5}, new boolean[] {true, false}), 0);
    }
}
