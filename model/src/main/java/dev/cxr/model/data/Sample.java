package dev.cxr.model.data;

import dev.cxr.model.features.ImageSource;
import dev.cxr.model.image.ImageDecoder;
import dev.cxr.model.image.RgbImage;
import java.nio.file.Path;

/**
 * One image of a dataset: its file, its path relative to the dataset folder ({@code covid/x.jpeg},
 * with '/' on every platform) and its class index. It is read as any image file is, and named by
 * its file in every message.
 */
public record Sample(Path file, String relativePath, int label) implements ImageSource {
    @Override
    public String name() {
        return file.toString();
    }

    @Override
    public RgbImage decode() {
        return ImageDecoder.read(file);
    }
}
