package dev.cxr.model.eval;

import java.util.List;

/**
 * Everything the reports say about a set of (true class, probability) pairs, positive class against
 * the rest: ROC-AUC with DeLong's 95% interval (and, when a seed is given, a seeded bootstrap
 * interval beside it), accuracy, sensitivity and specificity at 0.5 and at the Youden threshold with
 * Wilson intervals, calibration (Brier score, ECE over 10 bins and the bin table) and the ROC curve.
 * A record of records, so it serialises to JSON as it is ({@link Jackson}).
 *
 * @param rocAucBootstrap the bootstrap interval, or null when none was asked for
 * @param accuracy        correct calls at 0.5
 */
public record BinaryEvaluation(
        int images,
        int positives,
        int negatives,
        AucInterval rocAuc,
        AucInterval rocAucBootstrap,
        Wilson accuracy,
        OperatingPoint atHalf,
        OperatingPoint youden,
        Calibration calibration,
        RocCurve roc) {

    /** With DeLong's interval only. */
    public static BinaryEvaluation of(List<Scored> scored) {
        return of(scored, null);
    }

    /**
     * @param bootstrapSeed the seed of a {@link RocAuc#DEFAULT_RESAMPLES}-resample bootstrap interval,
     *                      or null for none
     */
    public static BinaryEvaluation of(List<Scored> scored, Long bootstrapSeed) {
        int m = Scored.positives(scored);
        OperatingPoint half = OperatingPoint.atHalf(scored);
        int correct = half.sensitivity().successes() + half.specificity().successes();
        return new BinaryEvaluation(
                scored.size(),
                m,
                scored.size() - m,
                RocAuc.delong(scored),
                bootstrapSeed == null ? null : RocAuc.bootstrap(scored, bootstrapSeed),
                Wilson.of(correct, scored.size()),
                half,
                OperatingPoint.youden(scored),
                Calibration.of(scored),
                RocCurve.of(scored));
    }
}
