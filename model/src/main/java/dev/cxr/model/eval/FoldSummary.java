package dev.cxr.model.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Cross-validation results: the pooled evaluation of every image's out-of-fold prediction (each
 * image scored once, by the model that did not train on it), each fold's own evaluation, and the
 * main figures as mean +- standard deviation over the folds. The pooled figures have the intervals;
 * the spread over folds shows how much one split's number could have moved.
 */
public record FoldSummary(BinaryEvaluation pooled, List<BinaryEvaluation> folds, OverFolds overFolds) {

    /**
     * Mean and sample standard deviation (n - 1) over the folds where the figure is defined (a fold
     * without one of the classes has no AUC).
     *
     * @param n how many folds the figure was defined in
     */
    public record MeanSd(double mean, double sd, int n) {
        public static MeanSd of(double[] values) {
            double sum = 0;
            int n = 0;
            for (double v : values) {
                if (!Double.isNaN(v)) {
                    sum += v;
                    n++;
                }
            }
            if (n == 0) {
                return new MeanSd(Double.NaN, Double.NaN, 0);
            }
            double mean = sum / n;
            double ss = 0;
            for (double v : values) {
                if (!Double.isNaN(v)) {
                    ss += (v - mean) * (v - mean);
                }
            }
            return new MeanSd(mean, n < 2 ? Double.NaN : Math.sqrt(ss / (n - 1)), n);
        }
    }

    /** The figures averaged over folds; accuracy, sensitivity and specificity at 0.5. */
    public record OverFolds(
            MeanSd rocAuc,
            MeanSd accuracy,
            MeanSd sensitivity,
            MeanSd specificity,
            MeanSd brier,
            MeanSd expectedCalibrationError) {}

    public FoldSummary {
        folds = List.copyOf(folds);
    }

    /**
     * @param folds         each fold's out-of-fold (test) pairs
     * @param bootstrapSeed seed of the pooled evaluation's bootstrap interval, or null for DeLong only
     */
    public static FoldSummary of(List<List<Scored>> folds, Long bootstrapSeed) {
        List<Scored> all = new ArrayList<>();
        List<BinaryEvaluation> each = new ArrayList<>();
        for (List<Scored> f : folds) {
            all.addAll(f);
            each.add(BinaryEvaluation.of(f));
        }
        OverFolds over = new OverFolds(
                over(each, e -> e.rocAuc().auc()),
                over(each, e -> e.accuracy().estimate()),
                over(each, e -> e.atHalf().sensitivity().estimate()),
                over(each, e -> e.atHalf().specificity().estimate()),
                over(each, e -> e.calibration().brier()),
                over(each, e -> e.calibration().expectedCalibrationError()));
        return new FoldSummary(BinaryEvaluation.of(all, bootstrapSeed), each, over);
    }

    private static MeanSd over(List<BinaryEvaluation> folds, ToDoubleFunction<BinaryEvaluation> figure) {
        return MeanSd.of(folds.stream().mapToDouble(figure).toArray());
    }
}
