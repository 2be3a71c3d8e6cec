package dev.cxr.model.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cxr.model.eval.Predictor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Entries a listing leaves out (FIFO, broken and looping links, a folder named x.jpg) are each named in a warning. */
class SkippedEntriesTest {
    @TempDir
    Path tmp;

    /** A class folder holding one real image and one of each odd entry. */
    private Path oddFolder(Path dir) throws Exception {
        Files.createDirectories(dir);
        Files.write(dir.resolve("real.png"), new byte[] {1, 2, 3});
        Files.createDirectories(dir.resolve("x.jpg"));
        Files.createDirectories(dir.resolve("notes")); // a folder of another name: not meant as an image, no warning
        Files.createSymbolicLink(dir.resolve("broken.png"), dir.resolve("gone.png"));
        Files.createSymbolicLink(dir.resolve("loop1.jpg"), dir.resolve("loop2.jpg"));
        Files.createSymbolicLink(dir.resolve("loop2.jpg"), dir.resolve("loop1.jpg"));
        Process p = new ProcessBuilder("mkfifo", dir.resolve("pipe.jpg").toString()).start();
        assumeTrue(p.waitFor() == 0, "mkfifo is not available here");
        return dir;
    }

    private static void assertWarned(List<String> warnings, Path dir) {
        String all = String.join("\n", warnings);
        assertTrue(all.contains("skipping " + dir.resolve("x.jpg") + ": a folder, not an image file"), all);
        assertTrue(all.contains("skipping " + dir.resolve("broken.png") + ": a broken symbolic link"), all);
        assertTrue(
                all.contains("skipping " + dir.resolve("loop1.jpg") + ": a symbolic link that cannot be followed"),
                all);
        assertTrue(
                all.contains("skipping " + dir.resolve("loop2.jpg") + ": a symbolic link that cannot be followed"),
                all);
        assertTrue(all.contains("skipping " + dir.resolve("pipe.jpg") + ": not a regular file (a FIFO"), all);
        assertEquals(5, warnings.size(), all);
    }

    @Test
    void theDatasetScanNamesEverySkippedEntry() throws Exception {
        Path covid = oddFolder(tmp.resolve("data/covid"));
        Files.createDirectories(tmp.resolve("data/normal"));
        Files.write(tmp.resolve("data/normal/n.png"), new byte[] {1});
        List<String> warnings = new ArrayList<>();
        ImageFolder f = ImageFolder.scan(tmp.resolve("data"), warnings::add);
        assertEquals(
                List.of("covid/real.png", "normal/n.png"),
                f.samples().stream().map(Sample::relativePath).toList());
        assertWarned(warnings, covid);
    }

    @Test
    void predictsFolderSearchNamesEverySkippedEntry() throws Exception {
        Path dir = oddFolder(tmp.resolve("in"));
        List<String> warnings = new ArrayList<>();
        List<Path> files = Predictor.expand(List.of(tmp.resolve("in")), warnings::add);
        assertEquals(List.of(dir.resolve("real.png")), files);
        // x.jpg is a folder that predict searches (it is empty), so it is not skipped there
        String all = String.join("\n", warnings);
        assertTrue(all.contains("skipping " + dir.resolve("pipe.jpg") + ": not a regular file"), all);
        assertTrue(all.contains("skipping " + dir.resolve("broken.png") + ": a broken symbolic link"), all);
        assertEquals(4, warnings.size(), all);
    }
}
