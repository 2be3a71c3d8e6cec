package dev.cxr.model.eval;

import java.util.ArrayList;
import java.util.List;

/**
 * How far the probabilities can be taken at their word. The Brier score is the mean of
 * (p - y)^2, y = 1 for a positive image and p its probability of being positive (0 is perfect; always
 * answering 0.5 scores 0.25). The expected calibration error (ECE) puts the probabilities into
 * equal-width bins over [0, 1] and averages |mean probability - share of positives| over the bins,
 * weighted by how many images each holds. The bins are binned as scikit-learn's
 * {@code calibration_curve(strategy="uniform")} bins them: edges {@code k * (1/bins)} (numpy's
 * {@code linspace}), and a probability on an inner edge goes to the lower bin ({@code searchsorted}
 * on the inner edges, side left), so the bins are [0, 0.1], (0.1, 0.2], ..., (0.9, 1].
 *
 * @param bins the table behind the ECE and the reliability diagram, every bin, empty ones included
 */
public record Calibration(double brier, double expectedCalibrationError, List<Bin> bins) {
    /** Bins of the reports: 10, each 0.1 wide. */
    public static final int BINS = 10;

    /**
     * One bin, (lower, upper] (the first one closed).
     *
     * @param meanProbability  mean probability of its images (NaN when empty)
     * @param fractionPositive share of its images that are positive (NaN when empty)
     */
    public record Bin(
            double lower, double upper, int count, int positives, double meanProbability, double fractionPositive) {}

    public Calibration {
        bins = List.copyOf(bins);
    }

    public static Calibration of(List<Scored> scored) {
        return of(scored, BINS);
    }

    /** The measures over {@code binCount} equal-width bins; NaN scores when the list is empty. */
    public static Calibration of(List<Scored> scored, int binCount) {
        if (binCount < 1) {
            throw new IllegalArgumentException("need at least one bin, got " + binCount);
        }
        double[] edges = new double[binCount + 1];
        double step = 1.0 / binCount;
        for (int b = 0; b < binCount; b++) {
            edges[b] = b * step;
        }
        edges[binCount] = 1.0;
        int[] count = new int[binCount];
        int[] positives = new int[binCount];
        double[] sum = new double[binCount];
        double brier = 0;
        for (Scored s : scored) {
            double p = s.probability();
            int b = 0;
            while (b + 1 < binCount && p > edges[b + 1]) {
                b++;
            }
            count[b]++;
            sum[b] += p;
            double y = s.positive() ? 1 : 0;
            if (s.positive()) {
                positives[b]++;
            }
            brier += (p - y) * (p - y);
        }
        int total = scored.size();
        List<Bin> bins = new ArrayList<>();
        double ece = 0;
        for (int b = 0; b < binCount; b++) {
            double mean = count[b] == 0 ? Double.NaN : sum[b] / count[b];
            double frac = count[b] == 0 ? Double.NaN : positives[b] / (double) count[b];
            bins.add(new Bin(b / (double) binCount, (b + 1) / (double) binCount, count[b], positives[b], mean, frac));
            if (count[b] > 0) {
                ece += count[b] / (double) total * Math.abs(mean - frac);
            }
        }
        return total == 0 ? new Calibration(Double.NaN, Double.NaN, bins) : new Calibration(brier / total, ece, bins);
    }
}
