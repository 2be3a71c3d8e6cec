package dev.cxr.model.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class FoldSummaryTest {
    private static final double EXACT = 1e-12;

    @Test
    void meanAndSampleSdOverFolds() {
        FoldSummary.MeanSd m = FoldSummary.MeanSd.of(new double[] {0.8, 1.0, 0.9, Double.NaN});
        assertEquals(0.9, m.mean(), EXACT);
        assertEquals(0.1, m.sd(), EXACT, "sqrt((0.01 + 0.01 + 0) / 2)");
        assertEquals(3, m.n(), "the undefined fold is left out");
        assertTrue(Double.isNaN(FoldSummary.MeanSd.of(new double[] {0.5}).sd()));
    }

    @Test
    void pooledIsEveryOutOfFoldPrediction() {
        List<Scored> f1 = RocAucTest.scored(new double[] {0.9, 0.6}, new double[] {0.2, 0.7});
        List<Scored> f2 = RocAucTest.scored(new double[] {0.8}, new double[] {0.1, 0.3});
        List<Scored> f3 = RocAucTest.scored(new double[] {0.4}, new double[] {});
        FoldSummary s = FoldSummary.of(List.of(f1, f2, f3), null);
        assertEquals(3, s.folds().size());
        assertEquals(8, s.pooled().images());
        // pooled positives .9 .6 .8 .4 against negatives .2 .7 .1 .3: 16 pairs, misordered .6<.7 and .4<.7
        assertEquals(14 / 16.0, s.pooled().rocAuc().auc(), EXACT);
        // fold AUCs 0.75 and 1 (the third has no negatives): 0.875 +- sqrt(2 x 0.125^2)
        assertEquals(2, s.overFolds().rocAuc().n());
        assertEquals(0.875, s.overFolds().rocAuc().mean(), EXACT);
        assertEquals(Math.sqrt(2 * 0.125 * 0.125), s.overFolds().rocAuc().sd(), EXACT);
        // accuracy at 0.5 per fold: 3/4, 3/3, 0/1
        assertEquals((0.75 + 1 + 0) / 3, s.overFolds().accuracy().mean(), EXACT);
        assertEquals(3, s.overFolds().accuracy().n());
    }
}
