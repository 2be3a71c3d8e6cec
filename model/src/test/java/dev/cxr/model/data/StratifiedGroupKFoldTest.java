package dev.cxr.model.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cxr.engine.CxrException;
import dev.cxr.model.testing.Repo;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class StratifiedGroupKFoldTest {
    private static final List<String> TWO = List.of("covid", "normal");

    /** The small grouped set of eval_reference.py. */
    private static final int[] LABELS = {0, 0, 0, 0, 1, 1, 0, 1, 1, 1, 0, 0, 1, 1, 1, 0, 1, 0, 1, 1};

    private static final String[] GROUPS = {
        "a", "a", "a", "b", "b", "c", "d", "d", "e", "f", "g", "g", "h", "h", "h", "i", "j", "k", "l", "l"
    };

    @Test
    void matchesScikitLearn() {
        // StratifiedGroupKFold(n_splits=3, shuffle=True, random_state=seed), scikit-learn 1.9.1: each sample's test
        // fold
        assertArrayEquals(
                new int[] {1, 1, 1, 0, 0, 1, 2, 2, 1, 1, 2, 2, 0, 0, 0, 0, 2, 0, 2, 2},
                StratifiedGroupKFold.assign(LABELS, TWO, GROUPS, 3, 0));
        assertArrayEquals(
                new int[] {0, 0, 0, 2, 2, 0, 1, 1, 0, 0, 2, 2, 1, 1, 1, 1, 2, 1, 2, 2},
                StratifiedGroupKFold.assign(LABELS, TWO, GROUPS, 3, 1));
        assertArrayEquals(
                new int[] {0, 0, 0, 1, 1, 2, 2, 2, 0, 0, 2, 2, 1, 1, 1, 1, 0, 1, 2, 2},
                StratifiedGroupKFold.assign(LABELS, TWO, GROUPS, 3, 42));
    }

    @Test
    void matchesScikitLearnOnTheBundledPatients() {
        ImageFolder folder = ImageFolder.scan(Repo.bundledDataset());
        Groups g = Groups.read(Repo.bundledDataset().resolve("groups.csv"), folder.samples());
        int[] expected = {
            2, 0, 0, 0, 0, 3, 3, 3, 3, 4, 4, 4, 4, 4, 1, 1, 1, 1, 2, 1, 0, 3, 2, 2, 2, 1, 4, 3, 1, 1, 3, 3, 1, 4, 4, 2,
            3, 0, 1, 2, 2, 0, 2, 3, 0, 0, 0, 4, 2, 4
        };
        int[] fold = StratifiedGroupKFold.assign(folder.labels(), folder.classes(), g.array(), 5, 42);
        assertArrayEquals(expected, fold);
        // 5 COVID and 5 normal images in every fold: the 12 patients' series fit exactly
        for (int f = 0; f < 5; f++) {
            int covid = 0;
            int all = 0;
            for (int i = 0; i < fold.length; i++) {
                if (fold[i] == f) {
                    all++;
                    covid += folder.labels()[i] == 0 ? 1 : 0;
                }
            }
            assertEquals(10, all, "fold " + f);
            assertEquals(5, covid, "fold " + f);
        }
    }

    @Test
    void neverSplitsAGroupAndBalancesTheClasses() {
        SplittableRandom r = new SplittableRandom(11);
        for (int trial = 0; trial < 200; trial++) {
            int n = 20 + r.nextInt(80);
            int k = 2 + r.nextInt(5);
            int[] labels = new int[n];
            String[] groups = new String[n];
            int g = 0;
            for (int i = 0; i < n; ) {
                int size = 1 + r.nextInt(4); // patients of 1 to 4 images, one class each
                int label = r.nextInt(3) == 0 ? 1 : 0;
                for (int j = 0; j < size && i < n; j++, i++) {
                    labels[i] = label;
                    groups[i] = "p" + g;
                }
                g++;
            }
            if (g < k) {
                continue;
            }
            long seed = r.nextLong(1L << 32);
            List<StratifiedSplit.Indices> folds = StratifiedGroupKFold.split(labels, TWO, groups, k, seed);
            assertEquals(k, folds.size());
            int[] seen = new int[n];
            Map<String, Integer> foldOfGroup = new HashMap<>();
            for (int f = 0; f < k; f++) {
                StratifiedSplit.Indices s = folds.get(f);
                assertEquals(n, s.train().length + s.test().length);
                for (int i : s.test()) {
                    seen[i]++;
                    Integer before = foldOfGroup.put(groups[i], f);
                    assertTrue(
                            before == null || before == f, "group " + groups[i] + " in folds " + before + " and " + f);
                }
                assertTrue(isSorted(s.train()) && isSorted(s.test()));
            }
            assertTrue(Arrays.stream(seen).allMatch(c -> c == 1), "every sample in exactly one test fold");
            // balance: with groups of at most 4, a fold's count of a class is within 4 of its share
            for (int y = 0; y < 2; y++) {
                final int yy = y;
                long total = Arrays.stream(labels).filter(v -> v == yy).count();
                for (StratifiedSplit.Indices s : folds) {
                    long inFold =
                            Arrays.stream(s.test()).filter(i -> labels[i] == yy).count();
                    assertTrue(
                            Math.abs(inFold - total / (double) k) <= 4,
                            "trial " + trial + ": class " + y + " has " + inFold + " of " + total + " in a fold of "
                                    + k);
                }
            }
            assertArrayEquals(
                    StratifiedGroupKFold.assign(labels, TWO, groups, k, seed),
                    StratifiedGroupKFold.assign(labels, TWO, groups, k, seed),
                    "same seed, same folds");
        }
    }

    @Test
    void withoutGroupsItIsAStratifiedKFold() {
        int[] labels = new int[23];
        Arrays.fill(labels, 0, 9, 1);
        int[] fold = StratifiedGroupKFold.assign(labels, TWO, null, 4, 5);
        for (int f = 0; f < 4; f++) {
            int ones = 0;
            int all = 0;
            for (int i = 0; i < labels.length; i++) {
                if (fold[i] == f) {
                    all++;
                    ones += labels[i];
                }
            }
            assertTrue(all == 5 || all == 6, "23 over 4 folds: " + all);
            assertTrue(ones == 2 || ones == 3, "9 over 4 folds: " + ones);
        }
        boolean differs = false;
        for (long seed = 0; seed < 5 && !differs; seed++) {
            differs = !Arrays.equals(fold, StratifiedGroupKFold.assign(labels, TWO, null, 4, 6 + seed));
        }
        assertTrue(differs, "the seed matters");
    }

    @Test
    void refusesTooFewFoldsOrGroups() {
        assertEquals(
                "--folds must be at least 2, got 1",
                assertThrows(CxrException.class, () -> StratifiedGroupKFold.split(LABELS, TWO, GROUPS, 1, 0))
                        .getMessage());
        assertEquals(
                "--folds 13 needs at least 13 groups, the dataset has 12",
                assertThrows(CxrException.class, () -> StratifiedGroupKFold.split(LABELS, TWO, GROUPS, 13, 0))
                        .getMessage());
        assertEquals(
                "--folds 3 needs at least 3 images, the dataset has 2",
                assertThrows(CxrException.class, () -> StratifiedGroupKFold.split(new int[] {0, 1}, TWO, null, 3, 0))
                        .getMessage());
    }

    private static boolean isSorted(int[] a) {
        for (int i = 1; i < a.length; i++) {
            if (a[i] <= a[i - 1]) {
                return false;
            }
        }
        return true;
    }
}
