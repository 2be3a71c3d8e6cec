package dev.cxr.model.data;

import java.nio.file.Path;

/**
 * One image of a dataset: its file, its path relative to the dataset folder ({@code covid/x.jpeg},
 * with '/' on every platform) and its class index.
 */
public record Sample(Path file, String relativePath, int label) {
}
