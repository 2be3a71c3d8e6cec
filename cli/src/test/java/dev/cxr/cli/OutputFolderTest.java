package dev.cxr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cxr.engine.CxrException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One run at a time in a folder, no leftovers of a killed run, no mix of two runs. */
class OutputFolderTest {
    @TempDir
    Path tmp;

    private static final List<String> OUTPUTS = List.of("model.h5", "report.txt", "plot.png");

    @Test
    void aSecondRunIntoTheSameFolderIsRefusedWhileTheFirstRuns() {
        Path out = tmp.resolve("run");
        List<String> notices = new ArrayList<>();
        OutputFolder.write(out, "the report", OUTPUTS, notices::add, dir -> {
            CxrException e = assertThrows(
                    CxrException.class,
                    () -> OutputFolder.write(
                            out,
                            "the report",
                            OUTPUTS,
                            notices::add,
                            d -> Files.writeString(d.resolve("model.h5"), "2")));
            assertEquals(
                    "output folder " + out.toAbsolutePath()
                            + " is in use by another cxr run (its lock .cxr-lock is held):"
                            + " wait for that run to end, or choose another output folder",
                    e.getMessage());
            Files.writeString(dir.resolve("model.h5"), "1");
        });
        assertEquals("1", read(out.resolve("model.h5")), "the first run's file, untouched by the refused one");
        // once the first has ended, the folder can be used again
        OutputFolder.write(
                out, "the report", OUTPUTS, notices::add, d -> Files.writeString(d.resolve("model.h5"), "3"));
        assertEquals("3", read(out.resolve("model.h5")));
    }

    @Test
    void aKilledRunsTemporariesAreRemovedAndAnEarlierRunIsReplacedWholly() throws Exception {
        Path out = Files.createDirectories(tmp.resolve("run"));
        // an earlier run, killed after model.h5 was renamed: its report and plot are from the run before it
        Files.writeString(out.resolve("model.h5"), "old model");
        Files.writeString(out.resolve("report.txt"), "old report");
        Files.writeString(out.resolve("plot.png"), "old plot");
        Files.writeString(out.resolve("notes.txt"), "the user's own file");
        // pid 999999999 is beyond any Linux pid (at most 2^22): that process is gone
        Files.writeString(out.resolve(".history.csv.tmp-999999999-123"), "half");
        Files.writeString(out.resolve(".cxr-write-test-999999999-7"), "");
        List<String> notices = new ArrayList<>();
        OutputFolder.write(out, "the report", OUTPUTS, notices::add, dir -> {
            assertFalse(Files.exists(dir.resolve("report.txt")), "the old report is gone before the new run writes");
            Files.writeString(dir.resolve("model.h5"), "new model");
        });
        assertEquals("new model", read(out.resolve("model.h5")));
        assertFalse(Files.exists(out.resolve("report.txt")), "no old report beside the new model");
        assertFalse(Files.exists(out.resolve("plot.png")));
        assertEquals("the user's own file", read(out.resolve("notes.txt")), "files cxr did not write stay");
        assertFalse(Files.exists(out.resolve(".history.csv.tmp-999999999-123")));
        assertFalse(Files.exists(out.resolve(".cxr-write-test-999999999-7")));
        assertEquals(2, notices.size(), notices.toString());
        assertTrue(
                notices.get(0)
                        .startsWith("removed 2 temporary file(s) of an interrupted run from " + out.toAbsolutePath()),
                notices.get(0));
        assertEquals(
                "output folder " + out.toAbsolutePath() + " holds an earlier run's model.h5, plot.png, report.txt:"
                        + " removing them first, so that the folder holds one run only",
                notices.get(1));
    }

    @Test
    void aLiveProcesssTemporaryIsLeftAlone() throws Exception {
        Path out = Files.createDirectories(tmp.resolve("run"));
        Path mine = Files.writeString(
                out.resolve(".report.csv.tmp-" + ProcessHandle.current().pid() + "-1"), "being written");
        OutputFolder.write(out, "the report", OUTPUTS, n -> {}, dir -> {});
        assertTrue(Files.exists(mine), "a write in progress (this process: predict --csv, say) is not removed");
    }

    @Test
    void aFailedRunInANewFolderLeavesNoFolder() {
        Path out = tmp.resolve("new");
        assertThrows(
                CxrException.class,
                () -> OutputFolder.write(out, "x", OUTPUTS, n -> {}, dir -> {
                    throw new CxrException("boom");
                }));
        assertFalse(Files.exists(out), "nothing left, lock included");
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    /** train's outputs: a cross-validation's fold folders and plots go too, a user's look-alikes stay. */
    @Test
    void anEarlierCrossValidationIsRemovedWithItsFolds() throws Exception {
        Path out = Files.createDirectories(tmp.resolve("run"));
        Files.createDirectories(out.resolve("fold-7/sub"));
        Files.writeString(out.resolve("fold-7/model.h5"), "old fold model");
        Files.writeString(out.resolve("fold-7/sub/x"), "deep");
        Files.writeString(out.resolve("roc.png"), "old roc");
        Files.writeString(out.resolve("report.html"), "old page");
        Files.writeString(out.resolve("folds.txt"), "the user's own file");
        Files.createDirectories(out.resolve("my-fold-notes"));
        Files.createDirectories(out.resolve("fold-notes"));
        List<String> notices = new ArrayList<>();
        OutputFolder.write(out, "the report", TrainCommand.OUTPUTS, notices::add, dir -> {});
        assertFalse(Files.exists(out.resolve("fold-7")), "the earlier run's fold, with all in it");
        assertFalse(Files.exists(out.resolve("roc.png")));
        assertFalse(Files.exists(out.resolve("report.html")));
        assertTrue(
                Files.exists(out.resolve("folds.txt"))
                        && Files.isDirectory(out.resolve("my-fold-notes"))
                        && Files.isDirectory(out.resolve("fold-notes")),
                "names cxr does not write stay");
        assertEquals(
                List.of("output folder " + out.toAbsolutePath() + " holds an earlier run's fold-7/, report.html,"
                        + " roc.png: removing them first, so that the folder holds one run only"),
                notices);
    }
}
