package dev.cxr.model.data;

import dev.cxr.engine.CxrException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The tutorial's train/test split, {@code train_test_split(X, y_onehot, test_size, stratify=y_onehot,
 * random_state=seed)}, reproduced draw for draw: scikit-learn's StratifiedShuffleSplit on numpy's
 * legacy MT19937. For a list in the same order it returns the same indices in the same order as
 * Python does; the tests check it against the split recorded with scikit-learn 1.9.
 *
 * <p>The algorithm: {@code n_test = ceil(test_size * n)}, {@code n_train = n - n_test}; each class
 * gets its share of both, rounded as scikit-learn's {@code _approximate_mode} does (ties broken by a
 * seeded draw); the classes' members are permuted one class after another and cut into train and
 * test; then both lists are permuted. Classes are visited in the order numpy sorts the one-hot rows
 * as strings ("0.0 1.0" before "1.0 0.0"), which is the reverse of the class indices.
 */
public final class StratifiedSplit {

    /** Indices into the sample list: train and test, each in the order the split returns them. */
    public record Indices(int[] train, int[] test) {}

    private StratifiedSplit() {}

    /**
     * @param labels   class index of every sample, 0..classes-1
     * @param classes  number of classes
     * @param testSize fraction of the samples for the test split, in (0, 1)
     * @param seed     numpy's random_state
     * @throws CxrException when the split cannot be stratified (a class with fewer than 2 members,
     *                      fewer train or test samples than classes)
     */
    public static Indices split(int[] labels, int classes, double testSize, long seed) {
        if (!(testSize > 0 && testSize < 1)) {
            throw new CxrException("--test-split must be a fraction between 0 and 1 (exclusive), got " + testSize);
        }
        int n = labels.length;
        int nTest = (int) Math.ceil(testSize * n);
        int nTrain = n - nTest;
        int[] counts = new int[classes];
        for (int y : labels) {
            counts[y]++;
        }
        // scikit-learn's class order: the one-hot rows sorted as strings, i.e. the last class first
        int[] order = new int[classes];
        for (int i = 0; i < classes; i++) {
            order[i] = classes - 1 - i;
        }
        int[] classCounts = new int[classes];
        for (int i = 0; i < classes; i++) {
            classCounts[i] = counts[order[i]];
            if (classCounts[i] < 2) {
                throw new CxrException("class " + order[i] + " has " + classCounts[i]
                        + " image(s): a stratified split needs at least 2 in every class");
            }
        }
        if (nTrain < classes) {
            throw new CxrException("--test-split " + testSize + " leaves " + nTrain + " of " + n
                    + " images for training: need at least one per class (" + classes + ")");
        }
        if (nTest < classes) {
            throw new CxrException("--test-split " + testSize + " gives " + nTest + " of " + n
                    + " images for testing: need at least one per class (" + classes + ")");
        }
        MersenneTwister rng = new MersenneTwister(seed);
        int[] trainPerClass = approximateMode(classCounts, nTrain, rng);
        int[] remaining = new int[classes];
        for (int i = 0; i < classes; i++) {
            remaining[i] = classCounts[i] - trainPerClass[i];
        }
        int[] testPerClass = approximateMode(remaining, nTest, rng);

        List<Integer> train = new ArrayList<>();
        List<Integer> test = new ArrayList<>();
        for (int i = 0; i < classes; i++) {
            int[] members = membersOf(labels, order[i]);
            int[] perm = rng.permutation(members.length);
            for (int k = 0; k < trainPerClass[i]; k++) {
                train.add(members[perm[k]]);
            }
            for (int k = trainPerClass[i]; k < trainPerClass[i] + testPerClass[i]; k++) {
                test.add(members[perm[k]]);
            }
        }
        int[] trainIdx =
                rng.permutation(train.stream().mapToInt(Integer::intValue).toArray());
        int[] testIdx =
                rng.permutation(test.stream().mapToInt(Integer::intValue).toArray());
        return new Indices(trainIdx, testIdx);
    }

    private static int[] membersOf(int[] labels, int label) {
        return java.util.stream.IntStream.range(0, labels.length)
                .filter(i -> labels[i] == label)
                .toArray();
    }

    /**
     * scikit-learn's {@code _approximate_mode}: {@code draws} split over the classes in proportion
     * to their counts, floored; what is left goes to the largest remainders, ties drawn at random.
     */
    static int[] approximateMode(int[] counts, int draws, MersenneTwister rng) {
        long total = Arrays.stream(counts).asLongStream().sum();
        double[] continuous = new double[counts.length];
        int[] floored = new int[counts.length];
        long flooredSum = 0;
        for (int i = 0; i < counts.length; i++) {
            continuous[i] = counts[i] / (double) total * draws;
            floored[i] = (int) Math.floor(continuous[i]);
            flooredSum += floored[i];
        }
        int needToAdd = (int) (draws - flooredSum);
        if (needToAdd > 0) {
            double[] remainder = new double[counts.length];
            for (int i = 0; i < counts.length; i++) {
                remainder[i] = continuous[i] - floored[i];
            }
            double[] values = Arrays.stream(remainder).distinct().sorted().toArray();
            for (int v = values.length - 1; v >= 0 && needToAdd > 0; v--) {
                double value = values[v];
                int[] inds = java.util.stream.IntStream.range(0, counts.length)
                        .filter(i -> remainder[i] == value)
                        .toArray();
                int addNow = Math.min(inds.length, needToAdd);
                // RandomState.choice(inds, addNow, replace=False) = inds[permutation(len)[:addNow]]
                int[] perm = rng.permutation(inds.length);
                for (int k = 0; k < addNow; k++) {
                    floored[inds[perm[k]]]++;
                }
                needToAdd -= addNow;
            }
        }
        return floored;
    }
}
