package dev.cxr.model.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RocAucTest {
    /** Sums of a handful of doubles: a few ulps. */
    private static final double EXACT = 1e-12;

    static List<Scored> scored(double[] pos, double[] neg) {
        List<Scored> s = new ArrayList<>();
        for (double p : pos) {
            s.add(new Scored(true, p));
        }
        for (double n : neg) {
            s.add(new Scored(false, n));
        }
        return s;
    }

    /** The hand case below, interleaved so that input order cannot matter. */
    private static List<Scored> hand() {
        double[] pos = {0.9, 0.8, 0.7, 0.55, 0.4};
        double[] neg = {0.6, 0.4, 0.3, 0.2, 0.1};
        List<Scored> s = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            s.add(new Scored(false, neg[4 - i]));
            s.add(new Scored(true, pos[i]));
        }
        return s;
    }

    @Test
    void delongByHand() {
        // positives .9 .8 .7 .55 .4 against negatives .6 .4 .3 .2 .1 (.4 tied):
        // V10 (share of negatives each positive beats, ties 1/2) = 1, 1, 1, 0.8, 0.7 -> AUC 0.9
        // V01 (share of positives above each negative)          = 0.6, 0.9, 1, 1, 1 -> 0.9 too
        // var(V10) = (3 * 0.01 + 0.01 + 0.04) / 4 = 0.02; var(V01) = (0.09 + 0 + 3 * 0.01) / 4 = 0.03
        // var(AUC) = 0.02 / 5 + 0.03 / 5 = 0.01, so SE = 0.1 and the interval 0.9 -+ 0.196, clipped at 1
        AucInterval d = RocAuc.delong(hand());
        assertEquals(0.9, d.auc(), EXACT);
        assertEquals(0.1, d.standardError(), EXACT);
        assertEquals(0.9 - Wilson.Z95 * 0.1, d.lower(), EXACT);
        assertEquals(1.0, d.upper());
        assertEquals(5, d.positives());
        assertEquals(5, d.negatives());
        assertTrue(d.method().startsWith("DeLong"));
        assertFalse(d.degenerate());
        // scikit-learn 1.9.1 roc_auc_score gives 0.9 (eval_reference.py)
        assertEquals(0.9, RocAuc.auc(hand()), EXACT);
    }

    @Test
    void manyTiesMatchScikitLearnAndThePairwiseDefinition() {
        // eval_reference.py: numpy RandomState(7) betas rounded to 0.1, 40 positives and 30 negatives;
        // roc_auc_score 0.67541666666666667, DeLong SE from the m x n kernel 0.066244799253498826
        double[] pos = {
            0.7, 0.4, 0.6, 0.5, 0.4, 0.6, 0.2, 0.9, 0.9, 0.7, 0.9, 0.2, 0.5, 0.9, 0.7, 0.8, 0.3, 0.5, 0.4, 0.7, 0.7,
            0.2, 0.5, 0.7, 0.8, 0.7, 0.5, 0.2, 0.4, 0.4, 0.7, 0.6, 0.5, 0.6, 0.8, 0.7, 0.6, 0.5, 0.9, 0.6
        };
        double[] neg = {
            0.2, 0.1, 0.9, 0.7, 0.2, 0.3, 0.3, 0.3, 0.5, 0.3, 0.7, 0.2, 0.6, 0.9, 0.4, 0.7, 0.1, 0.7, 0.3, 0.4, 0.4,
            0.7, 0.5, 0.4, 0.4, 0.3, 0.3, 0.6, 0.7, 0.4
        };
        AucInterval d = RocAuc.delong(scored(pos, neg));
        assertEquals(0.67541666666666667, d.auc(), EXACT);
        assertEquals(0.066244799253498826, d.standardError(), EXACT);
    }

    @Test
    void midranksAgreeWithTheKernelOnRandomData() {
        SplittableRandom r = new SplittableRandom(3);
        for (int trial = 0; trial < 50; trial++) {
            int m = 2 + r.nextInt(30);
            int n = 2 + r.nextInt(30);
            double[] pos = new double[m];
            double[] neg = new double[n];
            for (int i = 0; i < m; i++) {
                pos[i] = r.nextInt(12) / 11.0; // coarse values: many ties
            }
            for (int j = 0; j < n; j++) {
                neg[j] = r.nextInt(12) / 11.0;
            }
            double[] v10 = new double[m];
            double[] v01 = new double[n];
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double psi = pos[i] > neg[j] ? 1 : pos[i] == neg[j] ? 0.5 : 0;
                    v10[i] += psi / n;
                    v01[j] += psi / m;
                }
            }
            double auc = 0;
            for (double v : v10) {
                auc += v / m;
            }
            double s10 = 0;
            double s01 = 0;
            for (double v : v10) {
                s10 += (v - auc) * (v - auc) / (m - 1);
            }
            for (double v : v01) {
                s01 += (v - auc) * (v - auc) / (n - 1);
            }
            AucInterval d = RocAuc.delong(scored(pos, neg));
            assertEquals(auc, d.auc(), 1e-12, "trial " + trial);
            assertEquals(Math.sqrt(s10 / m + s01 / n), d.standardError(), 1e-12, "trial " + trial);
            assertEquals(ClassificationMetrics.rocAuc(concat(pos, neg), positives(m, n)), d.auc(), 1e-12);
        }
    }

    @Test
    void bootstrapIsSeededAndBracketsTheArea() {
        List<Scored> s = hand();
        AucInterval a = RocAuc.bootstrap(s, 500, 42);
        AucInterval b = RocAuc.bootstrap(s, 500, 42);
        AucInterval c = RocAuc.bootstrap(s, 500, 43);
        assertEquals(a, b, "same seed, same interval, bit for bit");
        assertNotEquals(a.lower(), c.lower(), "another seed draws other resamples");
        assertEquals(0.9, a.auc(), EXACT, "the point estimate is the data's, not the replicates' mean");
        assertTrue(a.lower() < 0.9 && a.lower() > 0.5, "lower " + a.lower());
        assertEquals(1.0, a.upper(), "a resample of only the high positives is perfectly separated");
        assertTrue(a.method().contains("500 resamples") && a.method().contains("seed 42"), a.method());
        // DeLong's SE is 0.1; the bootstrap's SD (m = n = 5, so sd shrinks by about sqrt(4/5)) is of that size
        assertTrue(a.standardError() > 0.05 && a.standardError() < 0.12, "bootstrap SD " + a.standardError());
    }

    @Test
    void perfectSeparationAndMissingClasses() {
        AucInterval perfect = RocAuc.delong(scored(new double[] {0.9, 0.8}, new double[] {0.2, 0.1, 0.3}));
        assertEquals(1.0, perfect.auc());
        assertEquals(0.0, perfect.standardError());
        assertTrue(perfect.degenerate(), "an interval of width 0 at AUC 1 says nothing: flagged");
        AucInterval one = RocAuc.delong(scored(new double[] {0.9}, new double[] {0.2, 0.95}));
        assertEquals(0.5, one.auc(), EXACT);
        assertTrue(Double.isNaN(one.lower()), "one positive: no variance to estimate");
        AucInterval none = RocAuc.delong(scored(new double[] {}, new double[] {0.2, 0.95}));
        assertTrue(Double.isNaN(none.auc()));
        assertTrue(Double.isNaN(RocAuc.bootstrap(scored(new double[] {0.4}, new double[] {}), 10, 1)
                .auc()));
    }

    @Test
    void rocCurveAsScikitLearnDrawsIt() {
        // roc_curve(drop_intermediate=False) of the hand case (eval_reference.py)
        double[] fpr = {0.0, 0.0, 0.0, 0.0, 0.2, 0.2, 0.4, 0.6, 0.8, 1.0};
        double[] tpr = {0.0, 0.2, 0.4, 0.6, 0.6, 0.8, 1.0, 1.0, 1.0, 1.0};
        double[] thr = {Double.POSITIVE_INFINITY, 0.9, 0.8, 0.7, 0.6, 0.55, 0.4, 0.3, 0.2, 0.1};
        List<RocCurve.Point> pts = RocCurve.of(hand()).points();
        assertEquals(fpr.length, pts.size());
        for (int i = 0; i < pts.size(); i++) {
            assertEquals(thr[i], pts.get(i).threshold(), "threshold " + i);
            assertEquals(fpr[i], pts.get(i).falsePositiveRate(), EXACT, "fpr " + i);
            assertEquals(tpr[i], pts.get(i).truePositiveRate(), EXACT, "tpr " + i);
        }
        assertEquals(5, pts.get(9).truePositives());
        assertEquals(5, pts.get(9).falsePositives());
    }

    private static double[] concat(double[] a, double[] b) {
        double[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    private static boolean[] positives(int m, int n) {
        boolean[] p = new boolean[m + n];
        java.util.Arrays.fill(p, 0, m, true);
        return p;
    }
}
