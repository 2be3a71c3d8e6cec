package dev.cxr.model.features;

import dev.cxr.model.image.ImageDecoder;
import dev.cxr.model.image.RgbImage;
import java.nio.file.Path;
import java.util.Objects;

/** An image file, named by its path as given. */
public record PathSource(Path file) implements ImageSource {
    public PathSource {
        Objects.requireNonNull(file, "file");
    }

    @Override
    public String name() {
        return file.toString();
    }

    @Override
    public RgbImage decode() {
        return ImageDecoder.read(file);
    }
}
