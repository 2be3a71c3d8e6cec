package dev.cxr.model.eval;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The ROC curve: for every distinct score, from the highest down, the true and false positive rates
 * when the images scoring at least that much are called positive. The first point, (0, 0), has an
 * infinite threshold (nothing called positive; null in JSON), and the last is (1, 1). No point is
 * dropped (scikit-learn's {@code roc_curve(drop_intermediate=False)}).
 */
public record RocCurve(List<Point> points) {

    /** One operating point: images with a probability {@code >= threshold} are called positive. */
    public record Point(
            double threshold,
            double falsePositiveRate,
            double truePositiveRate,
            int truePositives,
            int falsePositives) {}

    public RocCurve {
        points = List.copyOf(points);
    }

    /** The curve; empty rates (NaN) when either class is absent. */
    public static RocCurve of(List<Scored> scored) {
        List<Scored> sorted = new ArrayList<>(scored);
        sorted.sort(Comparator.comparingDouble(Scored::probability).reversed());
        int m = Scored.positives(scored);
        int n = scored.size() - m;
        List<Point> points = new ArrayList<>();
        points.add(new Point(Double.POSITIVE_INFINITY, rate(0, n), rate(0, m), 0, 0));
        int tp = 0;
        int fp = 0;
        int i = 0;
        while (i < sorted.size()) {
            double t = sorted.get(i).probability();
            while (i < sorted.size() && sorted.get(i).probability() == t) {
                if (sorted.get(i).positive()) {
                    tp++;
                } else {
                    fp++;
                }
                i++;
            }
            points.add(new Point(t, rate(fp, n), rate(tp, m), tp, fp));
        }
        return new RocCurve(points);
    }

    private static double rate(int k, int total) {
        return total == 0 ? Double.NaN : k / (double) total;
    }
}
