package dev.cxr.engine.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds the large reference files in {@code ../shared/reference} beside the repository. They exist
 * in CI and on the developers' machines, not in a user's fresh clone: tests that need them skip.
 */
public final class SharedReference {
    /** The message tests skip with when the folder is absent. */
    public static final String ABSENT =
            "../shared/reference is absent (a fresh clone has only the small fixtures): skipping the full-size check";

    private SharedReference() {}

    /** The reference folder, searched from the working directory upwards. */
    public static Optional<Path> folder() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            Path candidate = dir.resolve("../shared/reference").normalize();
            if (Files.isDirectory(candidate)) {
                return Optional.of(candidate);
            }
            dir = dir.getParent();
        }
        return Optional.empty();
    }

    public static Optional<Path> file(String name) {
        return folder().map(f -> f.resolve(name)).filter(Files::isRegularFile);
    }
}
