package dev.cxr.model.data;

import dev.cxr.model.features.FileSource;
import java.nio.file.Path;

/**
 * One image of a dataset: its file, its path relative to the dataset folder ({@code covid/x.jpeg},
 * with '/' on every platform) and its class index. It is read as any image file is, and named by
 * its file in every message.
 */
public record Sample(Path file, String relativePath, int label) implements FileSource {}
