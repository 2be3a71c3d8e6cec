package dev.cxr.model.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LogisticRegressionTest {
    /** scikit-learn's newton-cholesky at tol 1e-14 against ours at 1e-10 per step: 1e-9 is both converged. */
    private static final double CONVERGED = 1e-9;

    private static final double[][] X = {
        {0.5, 1.2},
        {1.5, -0.3},
        {-0.7, 0.8},
        {2.2, 1.9},
        {0.1, -1.4},
        {-1.3, -0.2},
        {1.1, 0.4},
        {-0.4, 2.1},
        {0.9, -0.9},
        {-2.0, 0.3},
        {1.8, 0.6},
        {0.0, 0.0}
    };
    private static final boolean[] Y = {true, true, false, true, false, false, true, false, true, false, true, false};

    @Test
    void matchesScikitLearn() {
        // LogisticRegression(C=1.0, solver="newton-cholesky"), scikit-learn 1.9.1 (eval_reference.py)
        LogisticRegression m = LogisticRegression.fit(X, Y, 1.0);
        assertEquals(-0.58422453288163989, m.intercept(), CONVERGED);
        assertEquals(1.5697972614747346, m.weights()[0], CONVERGED);
        assertEquals(0.13691274726152233, m.weights()[1], CONVERGED);
        assertTrue(m.iterations() < 20, "Newton converges in a few steps: " + m.iterations());
    }

    @Test
    void theGradientVanishesAtTheFit() {
        double lambda = 0.3;
        LogisticRegression m = LogisticRegression.fit(X, Y, lambda);
        double[] g = new double[3];
        for (int i = 0; i < X.length; i++) {
            double r = m.probability(X[i]) - (Y[i] ? 1 : 0);
            g[0] += r;
            g[1] += r * X[i][0];
            g[2] += r * X[i][1];
        }
        g[1] += lambda * m.weights()[0];
        g[2] += lambda * m.weights()[1];
        for (double v : g) {
            assertEquals(0, v, 1e-9);
        }
    }

    @Test
    void separableDataStaysFiniteAndOneClassIsRefused() {
        double[][] x = {{-2}, {-1}, {1}, {2}};
        boolean[] y = {false, false, true, true};
        LogisticRegression m = LogisticRegression.fit(x, y, 1.0);
        assertTrue(Double.isFinite(m.weights()[0]) && m.weights()[0] > 0);
        assertTrue(m.probability(new double[] {2}) > 0.8);
        assertEquals(0.0, m.intercept(), 1e-12, "symmetric data: no intercept");
        assertThrows(IllegalArgumentException.class, () -> LogisticRegression.fit(x, new boolean[4], 1.0));
        assertEquals(1.0, LogisticRegression.sigmoid(800), "no overflow");
        assertEquals(0.0, LogisticRegression.sigmoid(-800));
    }
}
