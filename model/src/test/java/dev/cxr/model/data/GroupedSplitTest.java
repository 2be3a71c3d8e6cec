package dev.cxr.model.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cxr.engine.CxrException;
import dev.cxr.model.testing.Repo;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GroupedSplitTest {
    private static final List<String> TWO = List.of("covid", "normal");

    @Test
    void keepsGroupsOnOneSideAndTheTestShareNearTheTarget() {
        SplittableRandom r = new SplittableRandom(5);
        int checked = 0;
        for (int trial = 0; trial < 300; trial++) {
            int n = 30 + r.nextInt(120);
            int[] labels = new int[n];
            String[] groups = new String[n];
            int g = 0;
            for (int i = 0; i < n; g++) {
                int size = 1 + r.nextInt(3);
                int label = r.nextInt(2);
                for (int j = 0; j < size && i < n; j++, i++) {
                    labels[i] = label;
                    groups[i] = "g" + g;
                }
            }
            double f = 0.1 + 0.3 * r.nextDouble();
            long seed = r.nextLong(1L << 32);
            StratifiedSplit.Indices s;
            try {
                s = GroupedSplit.split(labels, TWO, groups, f, seed);
            } catch (CxrException e) {
                continue; // a class whose groups cannot go both ways: said in one line (checked below)
            }
            checked++;
            assertEquals(n, s.train().length + s.test().length);
            Set<String> train = new HashSet<>();
            for (int i : s.train()) {
                train.add(groups[i]);
            }
            for (int i : s.test()) {
                assertTrue(!train.contains(groups[i]), "group " + groups[i] + " on both sides");
            }
            for (int y = 0; y < 2; y++) {
                final int yy = y;
                long total = Arrays.stream(labels).filter(v -> v == yy).count();
                long test = Arrays.stream(s.test()).filter(i -> labels[i] == yy).count();
                assertTrue(test >= 1 && test < total);
                assertTrue(
                        Math.abs(test - f * total) <= 3,
                        "groups of at most 3: within 3 of the target, got " + test + " for " + f * total);
            }
            assertArrayEquals(
                    s.test(), GroupedSplit.split(labels, TWO, groups, f, seed).test(), "seeded");
        }
        assertTrue(checked > 250, "most random sets can be split: " + checked);
    }

    @Test
    void theBundledDatasetSplitsIntoFiveAndFive() {
        ImageFolder folder = ImageFolder.scan(Repo.bundledDataset());
        Groups g = Groups.read(Repo.bundledDataset().resolve("groups.csv"), folder.samples());
        StratifiedSplit.Indices s = GroupedSplit.split(folder.labels(), folder.classes(), g.array(), 0.2, 42);
        assertEquals(10, s.test().length);
        assertEquals(
                5, Arrays.stream(s.test()).filter(i -> folder.labels()[i] == 0).count());
    }

    @Test
    void saysWhenAClassCannotBeOnBothSides() {
        // one COVID patient with all 4 COVID images
        int[] labels = {0, 0, 0, 0, 1, 1, 1, 1, 1};
        String[] groups = {"p", "p", "p", "p", "a", "b", "c", "d", "e"};
        assertEquals(
                "class 'covid' (4 images) cannot be put on both sides of a grouped split with --test-split 0.2: none"
                        + " of its groups fits the test side (groups too large or too few); try another --test-split or --folds",
                assertThrows(CxrException.class, () -> GroupedSplit.split(labels, TWO, groups, 0.2, 1))
                        .getMessage());
        assertThrows(CxrException.class, () -> GroupedSplit.split(labels, TWO, groups, 1.0, 1));
    }
}
