package dev.cxr.engine.io;

import java.util.List;
import java.util.Objects;

/**
 * The weights of one layer of a Keras weights file, in the order of its {@code weight_names}
 * (kernel before bias). Layers without weights (input, pooling) have an empty list.
 */
public record KerasLayerWeights(String name, List<KerasArray> arrays) {
    public KerasLayerWeights {
        Objects.requireNonNull(name, "name");
        arrays = List.copyOf(arrays);
    }

    public boolean hasWeights() {
        return !arrays.isEmpty();
    }

    /** The shapes, e.g. {@code [(3,3,3,64), (64,)]}, for messages. */
    public String shapesText() {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < arrays.size(); i++) {
            sb.append(i > 0 ? ", " : "").append(arrays.get(i).shapeText());
        }
        return sb.append(']').toString();
    }
}
