package dev.cxr.cli;

import dev.cxr.engine.CxrException;
import dev.cxr.engine.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The folder a command writes its outputs into (train's runs/<timestamp>/, the audit's): made when
 * missing, and removed again when the command fails before writing anything there, so that a
 * failed run leaves no empty folder behind.
 */
final class OutputFolder {
    /** A command's work in the folder; it may read back what it wrote. */
    interface Work {
        void in(Path dir) throws IOException;
    }

    private OutputFolder() {
    }

    /**
     * Runs {@code work} in {@code target}, made writable first.
     *
     * @param readBack what the work reads back, for the message when that fails ("the report")
     */
    static void write(Path target, String readBack, Work work) {
        boolean created = !Files.exists(target);
        Path dir = AtomicFiles.requireWritableFolder(target);
        try {
            work.in(dir);
        } catch (IOException e) {
            throw new CxrException("cannot read back " + readBack + " (" + e.getMessage() + ")", e);
        } catch (RuntimeException e) {
            if (created) {
                removeIfEmpty(dir);
            }
            throw e;
        }
    }

    private static void removeIfEmpty(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            if (entries.findAny().isEmpty()) {
                Files.delete(dir);
            }
        } catch (IOException ignored) {
            // best effort: the command's own error is the one to report
        }
    }
}
