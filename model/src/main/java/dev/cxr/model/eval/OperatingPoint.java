package dev.cxr.model.eval;

import java.util.List;

/**
 * Sensitivity and specificity when images with a probability {@code >= threshold} are called
 * positive, each with its 95% Wilson interval, and Youden's J = sensitivity + specificity - 1.
 *
 * @param choice how the threshold was chosen, in words: the fixed 0.5, or the Youden threshold, which
 *               is picked on the very images it is reported on and so flatters them
 */
public record OperatingPoint(double threshold, Wilson sensitivity, Wilson specificity, double youdenJ, String choice) {

    /** What the reports say of the fixed threshold. */
    public static final String FIXED =
            "fixed at 0.5 (the class with the larger probability, as the report's confusion matrix)";
    /** What the reports say of the Youden threshold. */
    public static final String YOUDEN = "the threshold that maximises Youden's J (sensitivity + specificity - 1),"
            + " chosen on the same images it is reported on: optimistic, not a threshold validated for use";

    /** The point at a given threshold. */
    public static OperatingPoint at(List<Scored> scored, double threshold, String choice) {
        int m = Scored.positives(scored);
        int n = scored.size() - m;
        int tp = 0;
        int tn = 0;
        for (Scored s : scored) {
            boolean called = s.probability() >= threshold;
            if (s.positive() && called) {
                tp++;
            } else if (!s.positive() && !called) {
                tn++;
            }
        }
        Wilson sens = Wilson.of(tp, m);
        Wilson spec = Wilson.of(tn, n);
        return new OperatingPoint(threshold, sens, spec, sens.estimate() + spec.estimate() - 1, choice);
    }

    /** The point at 0.5. */
    public static OperatingPoint atHalf(List<Scored> scored) {
        return at(scored, 0.5, FIXED);
    }

    /**
     * The threshold, among the distinct probabilities, with the largest Youden's J; of equal J the
     * highest threshold (fewest images called positive). NaN threshold when either class is absent.
     */
    public static OperatingPoint youden(List<Scored> scored) {
        int m = Scored.positives(scored);
        if (m == 0 || m == scored.size()) {
            return at(scored, Double.NaN, YOUDEN);
        }
        int n = scored.size() - m;
        double best = Double.NaN;
        long bestJ = Long.MIN_VALUE;
        for (RocCurve.Point p : RocCurve.of(scored).points()) {
            // J m n = tp n - fp m, in integers: equal J compare equal (2/3 - 0 and 1 - 1/3 do not, in doubles)
            long j = (long) p.truePositives() * n - (long) p.falsePositives() * m;
            if (Double.isFinite(p.threshold()) && j > bestJ) {
                bestJ = j;
                best = p.threshold();
            }
        }
        return at(scored, best, YOUDEN);
    }
}
