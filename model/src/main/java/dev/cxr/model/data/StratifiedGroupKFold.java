package dev.cxr.model.data;

import dev.cxr.engine.CxrException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Seeded, stratified k-fold cross-validation that never splits a group: every sample is in exactly
 * one test fold, every group's samples are in the same one, and the classes are spread over the
 * folds as evenly as the groups allow. Without groups every sample is its own group, which makes it
 * a plain stratified k-fold.
 *
 * <p>The algorithm is scikit-learn's {@code StratifiedGroupKFold(n_splits=k, shuffle=True,
 * random_state=seed)} as fixed in scikit-learn 1.8 (its earlier versions shuffled the groups' class
 * counts without the groups, see scikit-learn pull request 32540):
 * <ol>
 * <li>the distinct groups are sorted and put in a random order, {@code RandomState(seed).permutation};</li>
 * <li>they are stably sorted by the standard deviation of their class counts, largest first, so
 *     the groups that are hardest to balance (large, one class) are placed first and the shuffle only
 *     orders groups of the same spread;</li>
 * <li>each group goes to the fold that, with it, gives the smallest mean over classes of the standard
 *     deviation over folds of the fold's share of that class; when two folds are within numpy's
 *     {@code isclose} of the best so far, the one with fewer samples wins; the first fold wins a full tie.</li>
 * </ol>
 * Train and test indices come in ascending sample order. The same labels, groups and seed give the
 * same folds, on any machine.
 */
public final class StratifiedGroupKFold {

    private StratifiedGroupKFold() {}

    /**
     * @param labels  class index of every sample
     * @param classes the class names, indexed like the labels (for messages)
     * @param groups  group id of every sample, or null for each sample its own group
     * @param k       number of folds, at least 2 and at most the number of groups
     * @param seed    numpy's random_state, 0 to 2^32 - 1
     * @return one train/test split per fold, fold 0 first
     * @throws CxrException when k is below 2 or above the number of groups
     */
    public static List<StratifiedSplit.Indices> split(
            int[] labels, List<String> classes, String[] groups, int k, long seed) {
        int[] fold = assign(labels, classes, groups, k, seed);
        List<StratifiedSplit.Indices> out = new ArrayList<>();
        for (int f = 0; f < k; f++) {
            final int ff = f;
            int[] test = java.util.stream.IntStream.range(0, labels.length)
                    .filter(i -> fold[i] == ff)
                    .toArray();
            int[] train = java.util.stream.IntStream.range(0, labels.length)
                    .filter(i -> fold[i] != ff)
                    .toArray();
            out.add(new StratifiedSplit.Indices(train, test));
        }
        return out;
    }

    /** The test fold of every sample, 0 to k - 1. */
    public static int[] assign(int[] labels, List<String> classes, String[] groups, int k, long seed) {
        if (k < 2) {
            throw new CxrException("--folds must be at least 2, got " + k);
        }
        int c = classes.size();
        GroupCounts gc = GroupCounts.of(labels, c, groups == null ? GroupCounts.singletons(labels.length) : groups);
        int g = gc.names().length;
        if (k > g) {
            throw new CxrException("--folds " + k + " needs at least " + k + (groups == null ? " images" : " groups")
                    + ", the dataset has " + g);
        }
        int[] classTotal = new int[c];
        for (int y : labels) {
            classTotal[y]++;
        }
        int[] order = new MersenneTwister(seed).permutation(g);
        double[] spread = new double[g];
        for (int i = 0; i < g; i++) {
            spread[i] = populationSd(gc.counts()[i]);
        }
        Integer[] sorted = new Integer[g];
        for (int r = 0; r < g; r++) {
            sorted[r] = order[r];
        }
        Arrays.sort(sorted, Comparator.comparingDouble(grp -> -spread[grp])); // a stable merge sort
        double[][] perFold = new double[k][c];
        int[] foldOfGroup = new int[g];
        for (int grp : sorted) {
            int best = bestFold(perFold, classTotal, gc.counts()[grp]);
            foldOfGroup[grp] = best;
            for (int y = 0; y < c; y++) {
                perFold[best][y] += gc.counts()[grp][y];
            }
        }
        int[] fold = new int[labels.length];
        for (int i = 0; i < labels.length; i++) {
            fold[i] = foldOfGroup[gc.groupOf()[i]];
        }
        return fold;
    }

    private static int bestFold(double[][] perFold, int[] classTotal, int[] group) {
        int k = perFold.length;
        int c = classTotal.length;
        int best = -1;
        double minEval = Double.POSITIVE_INFINITY;
        double minSamples = Double.POSITIVE_INFINITY;
        double[] share = new double[k];
        int present = 0;
        for (int total : classTotal) {
            present += total > 0 ? 1 : 0;
        }
        for (int f = 0; f < k; f++) {
            double eval = 0;
            for (int y = 0; y < c; y++) {
                if (classTotal[y] == 0) {
                    continue; // a class without samples is not one of numpy's unique labels
                }
                for (int j = 0; j < k; j++) {
                    share[j] = (perFold[j][y] + (j == f ? group[y] : 0)) / classTotal[y];
                }
                eval += populationSd(share);
            }
            eval /= present;
            double samples = 0;
            for (int y = 0; y < c; y++) {
                samples += perFold[f][y];
            }
            if (eval < minEval || isClose(eval, minEval) && samples < minSamples) {
                minEval = eval;
                minSamples = samples;
                best = f;
            }
        }
        return best;
    }

    /** numpy's {@code isclose(a, b)}: |a - b| <= 1e-8 + 1e-5 |b|. */
    private static boolean isClose(double a, double b) {
        if (Double.isInfinite(b)) {
            return a == b;
        }
        return Math.abs(a - b) <= 1e-8 + 1e-5 * Math.abs(b);
    }

    /** numpy's {@code std} (ddof 0): the root of the mean squared deviation from the mean. */
    static double populationSd(double[] v) {
        double sum = 0;
        for (double x : v) {
            sum += x;
        }
        double mean = sum / v.length;
        double ss = 0;
        for (double x : v) {
            ss += (x - mean) * (x - mean);
        }
        return Math.sqrt(ss / v.length);
    }

    private static double populationSd(int[] v) {
        return populationSd(Arrays.stream(v).asDoubleStream().toArray());
    }
}
