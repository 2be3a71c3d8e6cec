package dev.cxr.model.eval;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * ROC-AUC and its 95% interval, two ways.
 *
 * <p><b>DeLong</b> (DeLong, DeLong and Clarke-Pearson 1988), the default: each positive's share of
 * negatives it outscores (V10) and each negative's share of positives that outscore it (V01) are the
 * structural components of the Mann-Whitney statistic; the AUC is their mean and its variance is
 * {@code var(V10)/m + var(V01)/n} (sample variances, m positives, n negatives). The interval is
 * AUC +- 1.96 standard errors, clipped to [0, 1]. The components come from mid-ranks (Sun and Xu's
 * form), so it costs a sort, not m x n comparisons.
 *
 * <p><b>Bootstrap</b>: the positives and the negatives are each resampled with replacement (so every
 * replicate has both), the AUC recomputed, and the 2.5th and 97.5th percentiles of the replicates
 * (numpy's linear interpolation) taken; seeded, so the same seed gives the same interval bit for bit.
 *
 * <p>At an AUC of exactly 0 or 1 both intervals shrink to that point, which says nothing about how
 * sure the value is: {@link AucInterval#degenerate()} flags it, and the reports say so.
 */
public final class RocAuc {
    /** Resamples of the bootstrap when none are given. */
    public static final int DEFAULT_RESAMPLES = 2000;

    private RocAuc() {}

    /** The area alone (the Mann-Whitney statistic); NaN when either class is absent. */
    public static double auc(List<Scored> scored) {
        Split s = Split.of(scored);
        return s.pos.length == 0 || s.neg.length == 0 ? Double.NaN : auc(s.pos, s.neg);
    }

    /** DeLong's interval; NaN bounds when a class has fewer than 2 images (no variance to estimate). */
    public static AucInterval delong(List<Scored> scored) {
        Split s = Split.of(scored);
        int m = s.pos.length;
        int n = s.neg.length;
        String method = "DeLong (95%, normal approximation, clipped to [0, 1])";
        if (m == 0 || n == 0) {
            return new AucInterval(Double.NaN, Double.NaN, Double.NaN, Double.NaN, method, m, n);
        }
        double[] all = concat(s.pos, s.neg);
        double[] rankAll = midranks(all);
        double[] rankPos = midranks(s.pos);
        double[] rankNeg = midranks(s.neg);
        double[] v10 = new double[m];
        double[] v01 = new double[n];
        double sum = 0;
        for (int i = 0; i < m; i++) {
            v10[i] = (rankAll[i] - rankPos[i]) / n;
            sum += v10[i];
        }
        for (int j = 0; j < n; j++) {
            v01[j] = 1 - (rankAll[m + j] - rankNeg[j]) / m;
        }
        double auc = sum / m;
        if (m < 2 || n < 2) {
            return new AucInterval(auc, Double.NaN, Double.NaN, Double.NaN, method, m, n);
        }
        double se = Math.sqrt(variance(v10, auc) / m + variance(v01, auc) / n);
        return new AucInterval(
                auc, se, Math.max(0, auc - Wilson.Z95 * se), Math.min(1, auc + Wilson.Z95 * se), method, m, n);
    }

    /** A seeded, stratified percentile bootstrap with {@link #DEFAULT_RESAMPLES} resamples. */
    public static AucInterval bootstrap(List<Scored> scored, long seed) {
        return bootstrap(scored, DEFAULT_RESAMPLES, seed);
    }

    public static AucInterval bootstrap(List<Scored> scored, int resamples, long seed) {
        if (resamples < 2) {
            throw new IllegalArgumentException("a bootstrap needs at least 2 resamples, got " + resamples);
        }
        Split s = Split.of(scored);
        int m = s.pos.length;
        int n = s.neg.length;
        String method = "bootstrap (95%, " + resamples + " resamples of the positives and of the negatives, seed "
                + seed + ", percentiles 2.5 and 97.5)";
        if (m == 0 || n == 0) {
            return new AucInterval(Double.NaN, Double.NaN, Double.NaN, Double.NaN, method, m, n);
        }
        SplittableRandom rng = new SplittableRandom(seed);
        double[] replicates = new double[resamples];
        double[] pos = new double[m];
        double[] neg = new double[n];
        double sum = 0;
        for (int b = 0; b < resamples; b++) {
            for (int i = 0; i < m; i++) {
                pos[i] = s.pos[rng.nextInt(m)];
            }
            for (int j = 0; j < n; j++) {
                neg[j] = s.neg[rng.nextInt(n)];
            }
            replicates[b] = auc(pos, neg);
            sum += replicates[b];
        }
        double mean = sum / resamples;
        double se = Math.sqrt(variance(replicates, mean));
        Arrays.sort(replicates);
        return new AucInterval(
                auc(s.pos, s.neg), se, percentile(replicates, 2.5), percentile(replicates, 97.5), method, m, n);
    }

    /** The area from mid-ranks: (sum of the positives' ranks among all - m(m+1)/2) / (m n). */
    static double auc(double[] pos, double[] neg) {
        int m = pos.length;
        double[] ranks = midranks(concat(pos, neg));
        double rankSum = 0;
        for (int i = 0; i < m; i++) {
            rankSum += ranks[i];
        }
        return (rankSum - m * (m + 1.0) / 2) / ((double) m * neg.length);
    }

    /** 1-based ranks of {@code x}, tied values sharing the mean of their ranks. */
    static double[] midranks(double[] x) {
        int n = x.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(x[a], x[b]));
        double[] ranks = new double[n];
        int i = 0;
        while (i < n) {
            int j = i;
            while (j + 1 < n && x[order[j + 1]] == x[order[i]]) {
                j++;
            }
            double mid = (i + j) / 2.0 + 1; // ranks i+1 .. j+1
            for (int k = i; k <= j; k++) {
                ranks[order[k]] = mid;
            }
            i = j + 1;
        }
        return ranks;
    }

    /** numpy's default percentile: linear between the two closest ranks of the sorted values. */
    static double percentile(double[] sorted, double q) {
        double h = (sorted.length - 1) * q / 100;
        int lo = (int) Math.floor(h);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }

    private static double variance(double[] v, double mean) {
        double s = 0;
        for (double x : v) {
            s += (x - mean) * (x - mean);
        }
        return s / (v.length - 1);
    }

    private static double[] concat(double[] a, double[] b) {
        double[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    /** The scores of the positives and of the negatives, each in input order. */
    private record Split(double[] pos, double[] neg) {
        static Split of(List<Scored> scored) {
            int m = Scored.positives(scored);
            double[] pos = new double[m];
            double[] neg = new double[scored.size() - m];
            int i = 0;
            int j = 0;
            for (Scored s : scored) {
                if (s.positive()) {
                    pos[i++] = s.probability();
                } else {
                    neg[j++] = s.probability();
                }
            }
            return new Split(pos, neg);
        }
    }
}
