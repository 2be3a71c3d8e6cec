package dev.cxr.engine.io;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything a Keras 1/2 HDF5 weights file holds, read into memory: the layers in the file's
 * {@code layer_names} order with their weight arrays, and the Keras version that wrote it
 * ({@code "1"} when the file does not say, as Keras itself assumes).
 */
public record KerasWeights(Path file, String kerasVersion, String backend, List<KerasLayerWeights> layers) {
    public KerasWeights {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(kerasVersion, "kerasVersion");
        layers = List.copyOf(layers);
    }

    /** The layers that carry weights, in file order (what Keras pairs with a model's layers). */
    public List<KerasLayerWeights> layersWithWeights() {
        return layers.stream().filter(KerasLayerWeights::hasWeights).toList();
    }

    public Optional<KerasLayerWeights> layer(String name) {
        return layers.stream().filter(l -> l.name().equals(name)).findFirst();
    }

    /** The names of the layers with weights, comma-separated, for messages. */
    public String weightedNamesText() {
        return String.join(
                ", ", layersWithWeights().stream().map(KerasLayerWeights::name).toList());
    }
}
