package dev.cxr.model.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cxr.engine.CxrException;
import dev.cxr.engine.testing.Resources;
import dev.cxr.model.testing.Repo;
import io.jhdf.HdfFile;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class StratifiedSplitTest {

    /** The split recorded with scikit-learn 1.9 / numpy 2.4 for the sorted paths of the bundled dataset. */
    @Test
    void reproducesTheRecordedKerasSplitExactly() throws Exception {
        try (HdfFile h5 = new HdfFile(Resources.path("keras/head-trace-pooled-seed1.h5"))) {
            String[] paths = (String[]) h5.getDatasetByPath("/data/paths").getData();
            int[] train = ints(h5.getDatasetByPath("/data/train_index").getDataFlat());
            int[] test = ints(h5.getDatasetByPath("/data/test_index").getDataFlat());

            // our scan of the bundled dataset lists the same paths in the same order
            ImageFolder folder = ImageFolder.scan(Repo.bundledDataset());
            assertEquals(
                    List.of(paths),
                    folder.samples().stream().map(Sample::relativePath).toList());
            assertEquals(List.of("covid", "normal"), folder.classes());

            StratifiedSplit.Indices split = StratifiedSplit.split(folder.labels(), 2, 0.2, 42);
            assertArrayEquals(train, split.train(), "train indices, in the order the split returns them");
            assertArrayEquals(test, split.test(), "test indices");
        }
    }

    @Test
    void matchesANumpyEmulationWithUnevenClassesAndTies() {
        // numpy-only emulation of StratifiedShuffleSplit (same algorithm as scikit-learn's
        // _approximate_mode and _iter_indices), run with numpy 2.4:
        // 7/4/5 images of 3 classes, test 0.3, seed 42: the test share needs a tie-breaking draw
        int[] labels = new int[16];
        Arrays.fill(labels, 7, 11, 1);
        Arrays.fill(labels, 11, 16, 2);
        StratifiedSplit.Indices s = StratifiedSplit.split(labels, 3, 0.3, 42);
        assertArrayEquals(new int[] {12, 5, 3, 15, 4, 7, 13, 2, 8, 9, 0}, s.train());
        assertArrayEquals(new int[] {6, 10, 11, 1, 14}, s.test());

        // 3 + 3 images, test 0.5, seed 5: 1.5 + 1.5 train, a tie for the extra one
        StratifiedSplit.Indices t = StratifiedSplit.split(new int[] {0, 0, 0, 1, 1, 1}, 2, 0.5, 5);
        assertArrayEquals(new int[] {4, 3, 2}, t.train());
        assertArrayEquals(new int[] {1, 5, 0}, t.test());
    }

    @Test
    void isStratifiedAndCoversEverySampleOnce() {
        int[] labels = new int[37];
        Arrays.fill(labels, 20, 37, 1);
        StratifiedSplit.Indices s = StratifiedSplit.split(labels, 2, 0.25, 3);
        assertEquals(10, s.test().length, "ceil(0.25 * 37)");
        assertEquals(27, s.train().length);
        int[] all = new int[37];
        for (int i : s.train()) {
            all[i]++;
        }
        for (int i : s.test()) {
            all[i]++;
        }
        assertTrue(Arrays.stream(all).allMatch(c -> c == 1));
        long covidTest = Arrays.stream(s.test()).filter(i -> labels[i] == 0).count();
        assertTrue(covidTest == 5 || covidTest == 6, "20/37 of 10 test images is 5.4, got " + covidTest);
    }

    @Test
    void refusesSplitsThatCannotBeStratified() {
        int[] labels = {0, 0, 0, 1, 1, 1};
        CxrException e = assertThrows(CxrException.class, () -> StratifiedSplit.split(labels, 2, 1.5, 42));
        assertEquals("--test-split must be a fraction between 0 and 1 (exclusive), got 1.5", e.getMessage());
        assertThrows(CxrException.class, () -> StratifiedSplit.split(labels, 2, 0, 42));
        assertTrue(assertThrows(CxrException.class, () -> StratifiedSplit.split(labels, 2, 0.1, 42))
                .getMessage()
                .contains("gives 1 of 6 images for testing"));
        assertTrue(assertThrows(CxrException.class, () -> StratifiedSplit.split(labels, 2, 0.9, 42))
                .getMessage()
                .contains("leaves 0 of 6 images for training"));
        assertTrue(assertThrows(CxrException.class, () -> StratifiedSplit.split(new int[] {0, 0, 1}, 2, 0.5, 42))
                .getMessage()
                .contains("at least 2 in every class"));
    }

    private static int[] ints(Object flat) {
        if (flat instanceof long[] l) {
            return Arrays.stream(l).mapToInt(Math::toIntExact).toArray();
        }
        return (int[]) flat;
    }
}
