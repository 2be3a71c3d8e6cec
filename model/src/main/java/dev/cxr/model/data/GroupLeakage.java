package dev.cxr.model.data;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How many test images share a group (a patient) with a training image: a split that leaks tests a
 * model partly on patients it has seen. For k folds it is counted over every fold's test side (each
 * image is tested once). The group ids themselves are not kept: they may be patient identifiers, and
 * the paths say which images are meant.
 *
 * @param testImages       test images in all
 * @param leakedImages     how many of them share a group with training
 * @param testPerClass     test images per class name
 * @param leakedPerClass   leaked test images per class name
 * @param sharedGroups     how many groups are on both sides
 * @param leakedPaths      the leaked test images' paths, in split order
 */
public record GroupLeakage(
        int testImages,
        int leakedImages,
        Map<String, Integer> testPerClass,
        Map<String, Integer> leakedPerClass,
        int sharedGroups,
        List<String> leakedPaths) {

    /** The leakage of one train/test split. */
    public static GroupLeakage of(
            StratifiedSplit.Indices split, Groups groups, List<Sample> samples, List<String> classes) {
        return ofFolds(List.of(split), groups, samples, classes);
    }

    /** The leakage summed over the test sides of several splits (the folds of a cross-validation). */
    public static GroupLeakage ofFolds(
            List<StratifiedSplit.Indices> splits, Groups groups, List<Sample> samples, List<String> classes) {
        Map<String, Integer> testPer = zeros(classes);
        Map<String, Integer> leakedPer = zeros(classes);
        Set<String> shared = new HashSet<>();
        List<String> paths = new ArrayList<>();
        int tests = 0;
        int leaked = 0;
        for (StratifiedSplit.Indices s : splits) {
            Set<String> trainGroups = new HashSet<>();
            for (int i : s.train()) {
                trainGroups.add(groups.of(i));
            }
            for (int i : s.test()) {
                String cls = classes.get(samples.get(i).label());
                tests++;
                testPer.merge(cls, 1, Integer::sum);
                if (trainGroups.contains(groups.of(i))) {
                    leaked++;
                    leakedPer.merge(cls, 1, Integer::sum);
                    shared.add(groups.of(i));
                    paths.add(samples.get(i).relativePath());
                }
            }
        }
        return new GroupLeakage(tests, leaked, testPer, leakedPer, shared.size(), paths);
    }

    private static Map<String, Integer> zeros(List<String> classes) {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (String c : classes) {
            m.put(c, 0);
        }
        return m;
    }
}
