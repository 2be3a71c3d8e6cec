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

    private AtomicFiles() {
    }

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
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp-" + ProcessHandle.current().pid()
                + "-" + System.nanoTime());
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
                throw (RuntimeException) e;   // already one clear line, or a caller's mistake
            }
            throw new CxrException("cannot write " + target + " (" + e + ")", e);
        }
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
            throw new CxrException("cannot write in output folder " + abs + " (" + reason(e) + ")", e);
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
