package dev.cxr.engine.io;

import dev.cxr.engine.CxrException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes a file under a temporary name in its own folder, then renames it into place with
 * ATOMIC_MOVE: a crash or a full disk never leaves half a report, and an older file stays whole
 * until the new one is complete.
 */
public final class AtomicFiles {
    /** Writes the content of a file to a stream. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /** Writes a whole file at the path it is given (for writers that open files themselves, as jhdf's). */
    @FunctionalInterface
    public interface FileContent {
        void writeAt(Path temporary) throws IOException;
    }

    private AtomicFiles() {}

    public static void write(Path file, Content content) {
        writeFile(file, tmp -> {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                content.writeTo(out);
            }
        });
    }

    /**
     * Has {@code content} write the whole file at a temporary path beside {@code file}, then renames
     * it into place; on any failure the temporary file is removed and {@code file} is untouched.
     *
     * @throws CxrException naming the file and the reason
     */
    public static void writeFile(Path file, FileContent content) {
        Path target = file.toAbsolutePath();
        Path tmp = target.resolveSibling(
                "." + target.getFileName() + ".tmp-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        try {
            content.writeAt(tmp);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the original failure is what matters
            }
            if (e instanceof CxrException || e instanceof IllegalArgumentException) {
                throw (RuntimeException) e; // already one clear line, or a caller's mistake
            }
            String full = fullDisk(target, e);
            if (full != null) {
                throw new CxrException(
                        "cannot write " + target + ": " + full + "; free some space or choose another output folder",
                        e);
            }
            throw new CxrException("cannot write " + target + " (" + e + ")", e);
        }
    }

    /**
     * "the disk is full (N bytes free)" when {@code e} (or its causes: ImageIO wraps the system's
     * error in its own "I/O error writing PNG file!") says so, or the folder has under 1 MiB free;
     * null otherwise.
     */
    static String fullDisk(Path target, Throwable e) {
        boolean said = false;
        for (Throwable t = e; t != null && !said; t = t.getCause()) {
            String m = String.valueOf(t.getMessage());
            said = m.contains("No space left") || m.contains("Disk quota exceeded") || m.contains("not enough space");
        }
        long free = -1;
        try {
            free = Files.getFileStore(target.getParent()).getUsableSpace();
        } catch (IOException | RuntimeException ignored) {
            // unknown: rely on the message
        }
        if (!said && (free < 0 || free >= (1 << 20))) {
            return null;
        }
        return free >= 0 ? "the disk is full (" + free + " bytes free)" : "the disk is full";
    }

    public static void writeString(Path file, String text) {
        write(file, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Creates {@code dir} if needed and checks that files can be created in it, before any long work
     * starts.
     *
     * @throws CxrException naming the folder and the reason
     */
    public static Path requireWritableFolder(Path dir) {
        Path abs = dir.toAbsolutePath();
        try {
            Files.createDirectories(abs);
        } catch (IOException e) {
            throw new CxrException("cannot create output folder " + abs + " (" + reason(e) + ")", e);
        }
        if (!Files.isDirectory(abs)) {
            throw new CxrException("output folder " + abs + " is a file, not a folder");
        }
        Path probe = abs.resolve(".cxr-write-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        try {
            Files.writeString(probe, "probe");
            Files.delete(probe);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(probe); // a full disk creates the file, then fails to write it
            } catch (IOException ignored) {
                // the first failure is the one to report
            }
            String full = fullDisk(probe, e);
            throw new CxrException(
                    "cannot write in output folder " + abs + " (" + (full != null ? full : reason(e)) + ")", e);
        }
        return abs;
    }

    private static String reason(IOException e) {
        String simple = e.getClass().getSimpleName();
        return switch (simple) {
            case "AccessDeniedException" -> "permission denied";
            case "FileAlreadyExistsException" -> "a file of that name is in the way";
            case "NoSuchFileException" -> "no such folder";
            case "FileSystemException" -> e.getMessage();
            default -> simple + ": " + e.getMessage();
        };
    }
}
