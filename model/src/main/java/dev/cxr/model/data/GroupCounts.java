package dev.cxr.model.data;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The groups of a dataset as the grouped splits see them: the distinct group ids, sorted (numpy's
 * {@code unique} order), the group index of every sample and the class counts of every group.
 */
record GroupCounts(String[] names, int[] groupOf, int[][] counts) {

    static GroupCounts of(int[] labels, int classes, String[] groups) {
        if (groups.length != labels.length) {
            throw new IllegalArgumentException(labels.length + " labels but " + groups.length + " group ids");
        }
        String[] names = new TreeSet<>(List.of(groups)).toArray(new String[0]);
        Map<String, Integer> index = new HashMap<>();
        for (int g = 0; g < names.length; g++) {
            index.put(names[g], g);
        }
        int[] groupOf = new int[labels.length];
        int[][] counts = new int[names.length][classes];
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException(
                        "label " + labels[i] + " of sample " + i + " is not in 0.." + (classes - 1));
            }
            groupOf[i] = index.get(groups[i]);
            counts[groupOf[i]][labels[i]]++;
        }
        return new GroupCounts(names, groupOf, counts);
    }

    /** Each sample its own group (named by its index, zero-padded so that the sorted order is the sample order). */
    static String[] singletons(int n) {
        String[] g = new String[n];
        int width = String.valueOf(Math.max(0, n - 1)).length();
        for (int i = 0; i < n; i++) {
            g[i] = String.format("%0" + width + "d", i);
        }
        return g;
    }

    int size(int g) {
        return Arrays.stream(counts[g]).sum();
    }

    /** The samples whose group is marked, in sample order. */
    int[] samplesOf(boolean[] groupMarked, boolean marked) {
        return java.util.stream.IntStream.range(0, groupOf.length)
                .filter(i -> groupMarked[groupOf[i]] == marked)
                .toArray();
    }
}
