package dev.cxr.model.features;

import dev.cxr.model.image.ImageDecoder;
import dev.cxr.model.image.RgbImage;
import java.nio.file.Path;

/** An image source that is a file, whoever holds it (a path given, a dataset's sample): named by its path. */
public interface FileSource extends ImageSource {
    Path file();

    @Override
    default String name() {
        return file().toString();
    }

    @Override
    default RgbImage decode() {
        return ImageDecoder.read(file());
    }
}
