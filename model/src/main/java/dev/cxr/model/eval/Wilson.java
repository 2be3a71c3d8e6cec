package dev.cxr.model.eval;

/**
 * The Wilson score interval for a proportion k/n: unlike the plain p +- z sqrt(p(1-p)/n) it stays
 * inside [0, 1] and is sensible for the tiny n of this dataset (10 test images), where 10/10 still
 * leaves a lower bound near 0.72.
 *
 * <p>Why not a library: Commons Math's WilsonScoreInterval computes the same interval, but it would
 * bring a library cxr does not otherwise use for this one closed formula, and it refuses n = 0,
 * which the reports show as n/a (a class with no images). The formula is checked against known
 * values in ClassificationMetricsTest.
 */
public record Wilson(int successes, int n, double estimate, double lower, double upper) {
    /** z for a two-sided 95% interval. */
    public static final double Z95 = 1.959963984540054;

    /** The 95% interval; all NaN when n is 0. */
    public static Wilson of(int successes, int n) {
        if (successes < 0 || successes > n) {
            throw new IllegalArgumentException("need 0 <= k <= n, got " + successes + "/" + n);
        }
        if (n == 0) {
            return new Wilson(0, 0, Double.NaN, Double.NaN, Double.NaN);
        }
        double z = Z95;
        double p = successes / (double) n;
        double z2n = z * z / n;
        double centre = (p + z2n / 2) / (1 + z2n);
        double half = z / (1 + z2n) * Math.sqrt(p * (1 - p) / n + z * z / (4.0 * n * n));
        return new Wilson(successes, n, p, Math.max(0, centre - half), Math.min(1, centre + half));
    }
}
