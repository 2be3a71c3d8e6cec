package dev.cxr.model.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class OperatingPointTest {
    private static final double EXACT = 1e-12;

    @Test
    void youdenByHandWithATie() {
        // positives .9 .8 .4, negatives .7 .3 .2. J = TPR - FPR at each threshold:
        // .9: 1/3 - 0; .8: 2/3 - 0; .7: 2/3 - 1/3; .4: 1 - 1/3; .3: 1 - 2/3; .2: 1 - 1.
        // J = 2/3 at .8 and at .4 (in doubles 0.666...66 and 0.666...67): the tie goes to the higher threshold
        List<Scored> s = RocAucTest.scored(new double[] {0.9, 0.8, 0.4}, new double[] {0.7, 0.3, 0.2});
        OperatingPoint y = OperatingPoint.youden(s);
        assertEquals(0.8, y.threshold());
        assertEquals(2, y.sensitivity().successes());
        assertEquals(3, y.sensitivity().n());
        assertEquals(3, y.specificity().successes());
        assertEquals(2 / 3.0, y.youdenJ(), EXACT);
        assertTrue(y.choice().contains("chosen on the same images it is reported on"), y.choice());

        OperatingPoint half = OperatingPoint.atHalf(s);
        assertEquals(0.5, half.threshold());
        assertEquals(2, half.sensitivity().successes(), ".9 and .8 called positive; .4 not");
        assertEquals(2, half.specificity().successes(), ".7 called positive wrongly");
        assertEquals(2 / 3.0 + 2 / 3.0 - 1, half.youdenJ(), EXACT);
    }

    @Test
    void thresholdIsInclusiveAndOneClassHasNoYouden() {
        List<Scored> s = RocAucTest.scored(new double[] {0.5}, new double[] {0.49999});
        OperatingPoint half = OperatingPoint.atHalf(s);
        assertEquals(1, half.sensitivity().successes(), "0.5 itself is called positive, as argmax does on a tie");
        assertEquals(1, half.specificity().successes());
        OperatingPoint none = OperatingPoint.youden(RocAucTest.scored(new double[] {0.3, 0.6}, new double[] {}));
        assertTrue(Double.isNaN(none.threshold()));
        assertEquals(0, none.specificity().n());
    }

    @Test
    void binaryEvaluationPutsItTogether() {
        List<Scored> s = RocAucTest.scored(new double[] {0.9, 0.8, 0.4}, new double[] {0.7, 0.3, 0.2});
        BinaryEvaluation e = BinaryEvaluation.of(s, 7L);
        assertEquals(6, e.images());
        assertEquals(3, e.positives());
        assertEquals(8.0 / 9, e.rocAuc().auc(), EXACT, "8 of the 9 pairs ordered right");
        assertEquals(e.rocAuc().auc(), e.rocAucBootstrap().auc());
        assertEquals(4, e.accuracy().successes(), "at 0.5: .9, .8 right, .4 wrong; .7 wrong, .3, .2 right");
        assertEquals(7, e.roc().points().size());
        assertEquals(null, BinaryEvaluation.of(s).rocAucBootstrap());
    }

    @Test
    void scoredFromProbabilitiesAndPredictions() {
        List<Scored> s = Scored.of(new int[] {0, 1}, new float[][] {{0.75f, 0.25f}, {0.125f, 0.875f}});
        assertEquals(List.of(new Scored(true, 0.75), new Scored(false, 0.125)), s);
        List<Scored> p = Scored.of(List.of(new Prediction("a", 1, 0, new float[] {0.625f, 0.375f})));
        assertEquals(List.of(new Scored(false, 0.625)), p);
    }
}
