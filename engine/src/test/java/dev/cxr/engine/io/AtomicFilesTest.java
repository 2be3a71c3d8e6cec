package dev.cxr.engine.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cxr.engine.CxrException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.IIOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A full disk is said in those words, not as ImageIO's "I/O error writing PNG file!". */
class AtomicFilesTest {
    @TempDir
    Path dir;

    @Test
    void aFullDiskIsSaidPlainly() {
        Path target = dir.resolve("plot.png");
        // what ImageIO throws when the system says ENOSPC under it
        IIOException png = new IIOException("I/O error writing PNG file!", new IOException("No space left on device"));
        CxrException e = assertThrows(
                CxrException.class,
                () -> AtomicFiles.writeFile(target, tmp -> {
                    Files.writeString(tmp, "half");
                    throw png;
                }));
        assertTrue(
                e.getMessage().startsWith("cannot write " + target.toAbsolutePath() + ": the disk is full ("),
                e.getMessage());
        assertTrue(e.getMessage().endsWith("free some space or choose another output folder"), e.getMessage());
        assertFalse(e.getMessage().contains("IIOException"), e.getMessage());
        assertFalse(Files.exists(target));
        try (var s = Files.list(dir)) {
            assertEquals(0, s.count(), "the temporary file is gone");
        } catch (IOException io) {
            throw new AssertionError(io);
        }
        // another failure, on a disk with room, keeps its own words
        assertNull(AtomicFiles.fullDisk(target, new IOException("Permission denied")));
    }
}
