package dev.cxr.model.features;

import java.nio.file.Path;
import java.util.Objects;

/** An image file, named by its path as given. */
public record PathSource(Path file) implements FileSource {
    public PathSource {
        Objects.requireNonNull(file, "file");
    }
}
