package dev.cxr.engine.io;

import dev.cxr.engine.CxrException;
import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableGroup;
import java.lang.reflect.Array;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Writes named float weights in the Keras legacy HDF5 weights layout, the one
 * {@code model.save_weights("x.h5")} wrote and {@code model.load_weights(path, by_name=True)} reads:
 * <pre>
 *   /                       attribute layer_names = [layer, ...]
 *   /&lt;layer&gt;              attribute weight_names = ["&lt;layer&gt;/kernel:0", "&lt;layer&gt;/bias:0"]
 *   /&lt;layer&gt;/&lt;layer&gt;/kernel:0   dataset, Keras's own layout (a Dense kernel is [in, out])
 *   /&lt;layer&gt;/&lt;layer&gt;/bias:0     dataset
 * </pre>
 * plus any root attributes the caller adds. No {@code keras_version} is written, so Keras applies
 * no conversion. The file is written to a temporary name in the target folder and renamed into
 * place, so a crash never leaves half a file. jhdf's writer (alpha in 0.13) adds a root attribute
 * {@code _jHDF}; Keras ignores it.
 */
public final class KerasWeightsWriter {

    /** One weight array: its name inside the layer ({@code kernel:0}), shape and row-major values. */
    public record Weight(String name, int[] shape, float[] values) {
        public Weight {
            Objects.requireNonNull(name, "name");
            shape = shape.clone();
            if (shape.length == 0) {
                throw new IllegalArgumentException(name + ": a weight needs at least one dimension");
            }
            long n = 1;
            for (int d : shape) {
                if (d < 1) {
                    throw new IllegalArgumentException(
                            name + ": dimensions must be positive, got " + Arrays.toString(shape));
                }
                n *= d;
            }
            if (n != values.length) {
                throw new IllegalArgumentException(
                        name + ": shape " + Arrays.toString(shape) + " needs " + n + " values, got " + values.length);
            }
        }
    }

    /** A layer's weights in Keras's order (kernel before bias). */
    public record LayerWeights(String layer, List<Weight> weights) {
        public LayerWeights {
            Objects.requireNonNull(layer, "layer");
            weights = List.copyOf(weights);
            if (layer.isEmpty() || layer.contains("/")) {
                throw new IllegalArgumentException("bad layer name '" + layer + "'");
            }
            if (weights.isEmpty()) {
                throw new IllegalArgumentException(layer + ": a layer in a weights file needs weights");
            }
        }
    }

    private KerasWeightsWriter() {}

    /**
     * Writes {@code layers} (in this order) and the root attributes to {@code file}, atomically.
     * Attribute values may be what jhdf writes: String, String[], int[], double[], and boxed numbers.
     *
     * @throws CxrException when the file cannot be written, naming it
     */
    public static void write(Path file, List<LayerWeights> layers, Map<String, ?> rootAttributes) {
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("nothing to write: no layers");
        }
        Set<String> names = new HashSet<>();
        for (LayerWeights l : layers) {
            if (!names.add(l.layer())) {
                throw new IllegalArgumentException("layer " + l.layer() + " given twice");
            }
        }
        if (rootAttributes.containsKey("layer_names")) {
            throw new IllegalArgumentException("layer_names is written from the layers, not passed in");
        }
        AtomicFiles.writeFile(file, tmp -> {
            try (WritableHdfFile h5 = HdfFile.write(tmp)) {
                h5.putAttribute(
                        "layer_names", layers.stream().map(LayerWeights::layer).toArray(String[]::new));
                for (Map.Entry<String, ?> a : rootAttributes.entrySet()) {
                    h5.putAttribute(a.getKey(), a.getValue());
                }
                for (LayerWeights l : layers) {
                    WritableGroup outer = h5.putGroup(l.layer());
                    outer.putAttribute(
                            "weight_names",
                            l.weights().stream()
                                    .map(w -> l.layer() + "/" + w.name())
                                    .toArray(String[]::new));
                    WritableGroup inner = outer.putGroup(l.layer());
                    for (Weight w : l.weights()) {
                        inner.putDataset(w.name(), nest(w.values(), w.shape()));
                    }
                }
            }
        });
    }

    /** Row-major flat values as the nested Java array jhdf writes as an n-dimensional dataset. */
    static Object nest(float[] flat, int[] shape) {
        if (shape.length == 1) {
            return flat.clone();
        }
        Object out = Array.newInstance(float.class, shape);
        fill(out, flat, 0, shape, 0);
        return out;
    }

    private static int fill(Object array, float[] flat, int pos, int[] shape, int axis) {
        if (axis == shape.length - 1) {
            float[] row = (float[]) array;
            System.arraycopy(flat, pos, row, 0, row.length);
            return pos + row.length;
        }
        for (int i = 0; i < shape[axis]; i++) {
            pos = fill(Array.get(array, i), flat, pos, shape, axis + 1);
        }
        return pos;
    }
}
