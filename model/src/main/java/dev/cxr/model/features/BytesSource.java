package dev.cxr.model.features;

import dev.cxr.model.image.ImageDecoder;
import dev.cxr.model.image.RgbImage;
import java.util.Objects;

/**
 * An image file's bytes held in memory, with the name they came with (a Spark {@code binaryFile}
 * row's path): decoded exactly as the same bytes in a file. The array is not copied; do not change
 * it while the source is in use.
 */
public record BytesSource(String name, byte[] bytes) implements ImageSource {
    public BytesSource {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(bytes, "bytes");
    }

    @Override
    public RgbImage decode() {
        return ImageDecoder.read(name, bytes);
    }

    @Override
    public String toString() {
        return "BytesSource(" + name + ", " + bytes.length + " bytes)";
    }
}
