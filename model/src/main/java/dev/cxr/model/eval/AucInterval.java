package dev.cxr.model.eval;

/**
 * ROC-AUC with a 95% interval and how it was computed.
 *
 * @param auc           the area: the share of (positive, negative) pairs in which the positive scores
 *                      higher, ties counting one half; NaN when either class is absent
 * @param standardError DeLong's standard error, or the bootstrap replicates' standard deviation
 * @param lower         lower end of the 95% interval (NaN when it cannot be computed)
 * @param upper         upper end
 * @param method        what the interval is, in words ("DeLong ...", "bootstrap ...")
 */
public record AucInterval(
        double auc, double standardError, double lower, double upper, String method, int positives, int negatives) {

    /** True when no pair is misordered or every one is, where both intervals shrink to a point. */
    public boolean degenerate() {
        return auc == 0 || auc == 1;
    }
}
