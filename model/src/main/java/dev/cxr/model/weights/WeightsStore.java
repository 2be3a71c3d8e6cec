package dev.cxr.model.weights;

import dev.cxr.engine.CxrException;
import java.nio.file.Path;
import java.util.function.Consumer;

/** Where the VGG16 ImageNet weights file lives, and getting it there. */
public final class WeightsStore {
    private WeightsStore() {
    }

    /**
     * The verified default weights file (VGG16 ImageNet, no top), fetched on first use.
     *
     * @param log receives progress and one-line notices
     * @throws CxrException when the file is absent and cannot be fetched, saying where to put it
     */
    public static Path resolveDefault(Consumer<String> log) {
        throw new CxrException("no VGG16 weights: pass --weights FILE (fetching is not built yet)");
    }
}
