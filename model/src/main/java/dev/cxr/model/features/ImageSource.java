package dev.cxr.model.features;

import dev.cxr.model.image.ImageDecoder;
import dev.cxr.model.image.RgbImage;
import java.nio.file.Path;

/**
 * An image to read, wherever it is: a file ({@link FileSource}: a {@link PathSource}, a dataset's
 * {@code Sample}), or bytes with a name ({@link BytesSource}: a Spark partition's files, an upload). Its name starts every
 * message about it and names its row in every result.
 */
public interface ImageSource {
    /** What messages and result rows call it: the path as given, or the name the bytes came with. */
    String name();

    /**
     * The picture at full size, 8-bit RGB, as {@link ImageDecoder} reads it (DICOM rendered as a viewer
     * shows it).
     *
     * @throws dev.cxr.engine.CxrException one line, starting with the name, saying why it cannot be read
     */
    RgbImage decode();

    static ImageSource of(Path file) {
        return new PathSource(file);
    }

    static ImageSource of(String name, byte[] bytes) {
        return new BytesSource(name, bytes);
    }
}
