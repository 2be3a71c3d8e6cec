package dev.cxr.model.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CalibrationTest {
    private static final double EXACT = 1e-12;

    private static List<Scored> of(double[] p, int[] y) {
        List<Scored> s = new ArrayList<>();
        for (int i = 0; i < p.length; i++) {
            s.add(new Scored(y[i] == 1, p[i]));
        }
        return s;
    }

    @Test
    void binsBrierAndEceByHand() {
        double[] p = {0.05, 0.1, 0.15, 0.3, 0.5, 0.55, 0.95, 1.0, 0.7, 0.72};
        int[] y = {0, 0, 1, 0, 1, 0, 1, 1, 1, 0};
        Calibration c = Calibration.of(of(p, y));
        // bins [0, .1], (.1, .2], ...: 0.1 on an edge goes down to bin 0, 0.5 to bin 4, 0.7 to bin 6, 1.0 to bin 9
        int[] count = {2, 1, 1, 0, 1, 1, 1, 1, 0, 2};
        int[] positives = {0, 1, 0, 0, 1, 0, 1, 0, 0, 2};
        assertEquals(10, c.bins().size());
        for (int b = 0; b < 10; b++) {
            assertEquals(count[b], c.bins().get(b).count(), "bin " + b);
            assertEquals(positives[b], c.bins().get(b).positives(), "bin " + b);
            assertEquals(b / 10.0, c.bins().get(b).lower(), EXACT);
        }
        // scikit-learn 1.9.1 calibration_curve(n_bins=10): the non-empty bins' means and shares (eval_reference.py)
        double[] probPred = {0.07500000000000001, 0.15, 0.3, 0.5, 0.55, 0.7, 0.72, 0.975};
        double[] probTrue = {0, 1, 0, 1, 0, 1, 0, 1};
        int k = 0;
        for (Calibration.Bin b : c.bins()) {
            if (b.count() > 0) {
                assertEquals(probPred[k], b.meanProbability(), EXACT);
                assertEquals(probTrue[k], b.fractionPositive(), EXACT);
                k++;
            } else {
                assertTrue(Double.isNaN(b.meanProbability()));
            }
        }
        assertEquals(8, k);
        // ECE = (2 x .075 + .85 + .3 + .5 + .55 + .3 + .72 + 2 x .025) / 10 = 3.42 / 10
        assertEquals(0.342, c.expectedCalibrationError(), EXACT);
        // scikit-learn's brier_score_loss: 0.19883999999999999
        assertEquals(0.19884, c.brier(), EXACT);
    }

    @Test
    void perfectAndUselessForecasts() {
        Calibration perfect = Calibration.of(of(new double[] {1, 1, 0, 0}, new int[] {1, 1, 0, 0}));
        assertEquals(0.0, perfect.brier());
        assertEquals(0.0, perfect.expectedCalibrationError());
        Calibration coin = Calibration.of(of(new double[] {0.5, 0.5, 0.5, 0.5}, new int[] {1, 1, 1, 0}));
        assertEquals(0.25, coin.brier(), EXACT);
        assertEquals(0.25, coin.expectedCalibrationError(), EXACT, "|0.5 - 3/4|");
        assertEquals(4, coin.bins().get(4).count(), "0.5 sits on the edge of bins 4 and 5: the lower one");
        Calibration empty = Calibration.of(List.of());
        assertTrue(Double.isNaN(empty.brier()));
        assertThrows(IllegalArgumentException.class, () -> new Scored(true, 1.2));
        assertThrows(IllegalArgumentException.class, () -> new Scored(true, Double.NaN));
    }
}
