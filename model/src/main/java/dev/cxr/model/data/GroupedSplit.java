package dev.cxr.model.data;

import dev.cxr.engine.CxrException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * A seeded, stratified train/test split that never puts one group on both sides. The distinct groups
 * are sorted, put in a random order ({@code RandomState(seed).permutation}, as the k-fold does) and
 * stably sorted by size, largest first; each group in turn goes to the test side when that brings
 * the test side's class counts closer to their targets, {@code testSize x} each class's count (the
 * sum over classes of the distances shrinks), and to the training side otherwise. Large groups are
 * placed while there is room for them and single images fill in, so the test share of each class is
 * as close to {@code testSize} as the groups allow. Every class must end up on both sides.
 *
 * <p>Without groups this is a stratified split, but not scikit-learn's {@code train_test_split}
 * draw for draw: {@link StratifiedSplit} is that one, and what {@code cxr train} uses without groups.
 */
public final class GroupedSplit {
    private GroupedSplit() {}

    /**
     * @param groups group id of every sample (null: each sample its own group)
     * @return train and test indices, each in ascending sample order
     * @throws CxrException when the fraction is not in (0, 1) or a class cannot be on both sides
     */
    public static StratifiedSplit.Indices split(
            int[] labels, List<String> classes, String[] groups, double testSize, long seed) {
        if (!(testSize > 0 && testSize < 1)) {
            throw new CxrException("--test-split must be a fraction between 0 and 1 (exclusive), got " + testSize);
        }
        int c = classes.size();
        GroupCounts gc = GroupCounts.of(labels, c, groups == null ? GroupCounts.singletons(labels.length) : groups);
        int g = gc.names().length;
        int[] classTotal = new int[c];
        for (int y : labels) {
            classTotal[y]++;
        }
        double[] target = new double[c];
        for (int y = 0; y < c; y++) {
            target[y] = testSize * classTotal[y];
        }
        int[] order = new MersenneTwister(seed).permutation(g);
        Integer[] sorted = Arrays.stream(order).boxed().toArray(Integer[]::new);
        Arrays.sort(sorted, Comparator.comparingInt(grp -> -gc.size(grp))); // stable
        double[] test = new double[c];
        boolean[] inTest = new boolean[g];
        for (int grp : sorted) {
            double before = 0;
            double after = 0;
            for (int y = 0; y < c; y++) {
                before += Math.abs(test[y] - target[y]);
                after += Math.abs(test[y] + gc.counts()[grp][y] - target[y]);
            }
            if (after < before) {
                inTest[grp] = true;
                for (int y = 0; y < c; y++) {
                    test[y] += gc.counts()[grp][y];
                }
            }
        }
        for (int y = 0; y < c; y++) {
            if (classTotal[y] == 0) {
                continue;
            }
            if (test[y] == 0 || test[y] == classTotal[y]) {
                throw new CxrException(
                        "class '" + classes.get(y) + "' (" + classTotal[y] + " images) cannot be put on both"
                                + " sides of a grouped split with --test-split " + testSize
                                + (test[y] == 0
                                        ? ": none of its groups fits the test side (groups too large or too few)"
                                        : ": all of its groups went to the test side")
                                + "; try another --test-split or --folds");
            }
        }
        return new StratifiedSplit.Indices(gc.samplesOf(inTest, false), gc.samplesOf(inTest, true));
    }
}
