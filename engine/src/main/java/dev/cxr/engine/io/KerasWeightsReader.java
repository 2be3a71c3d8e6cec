package dev.cxr.engine.io;

import dev.cxr.engine.CxrException;
import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a Keras 1 or Keras 2 HDF5 weights file (what {@code model.save_weights('x.h5')} wrote, and
 * what keras-applications publishes) by following the file's own directory, never hard-coded paths:
 * the root attribute {@code layer_names} lists the layers in order, each layer's group has an
 * attribute {@code weight_names}, and each weight name is a dataset path inside that group
 * ({@code block1_conv1_W_1:0} in Keras 1, {@code block1_conv1/kernel:0} in Keras 2). A full model
 * file ({@code model.save('x.h5')}) keeps the same structure under {@code model_weights}.
 *
 * <p>Everything is read and checked before anything is returned, so a caller never sees half a file.
 * Every problem is a {@link CxrException} with one line naming the file and, where it applies, the
 * layer and the array.
 */
public final class KerasWeightsReader {
    private KerasWeightsReader() {}

    public static KerasWeights read(Path file) {
        try (HdfFile h5 = FileChecks.openHdf5(file, "a Keras .h5 weights file")) {
            return read(file, h5);
        } catch (CxrException e) {
            throw e;
        } catch (RuntimeException e) {
            // jhdf's own failures on a damaged file (HdfException, a cast on an unexpected type): one line
            throw new CxrException(file + ": damaged HDF5 file (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Reads the weights of an HDF5 file already opened (and checked for completeness) by
     * {@link FileChecks#openHdf5}; every array is checked by {@link FileChecks#requireSane}.
     */
    public static KerasWeights read(Path file, HdfFile h5) {
        Group root = h5;
        Attribute names = root.getAttribute("layer_names");
        if (names == null && h5.getChild("model_weights") instanceof Group g) {
            root = g;
            names = g.getAttribute("layer_names");
        }
        if (names == null) {
            throw new CxrException(file + ": no 'layer_names' attribute, so not a Keras 1/2 weights file"
                    + " (HDF5 holding " + childrenText(h5) + ")");
        }
        String[] layerNames = strings(file, "the root attribute layer_names", names);
        List<KerasLayerWeights> layers = new ArrayList<>(layerNames.length);
        for (String name : layerNames) {
            layers.add(readLayer(file, root, name));
        }
        return new KerasWeights(
                file, text(root.getAttribute("keras_version"), "1"), text(root.getAttribute("backend"), ""), layers);
    }

    private static KerasLayerWeights readLayer(Path file, Group root, String layer) {
        Node node;
        try {
            node = root.getChild(layer);
        } catch (RuntimeException e) {
            throw new CxrException(file + ": layer " + layer + ": damaged group (" + e.getMessage() + ")", e);
        }
        if (!(node instanceof Group group)) {
            throw new CxrException(
                    file + ": layer " + layer + " is listed in layer_names but has no group of that name");
        }
        Attribute wn = group.getAttribute("weight_names");
        if (wn == null) {
            throw new CxrException(file + ": layer " + layer + " has no 'weight_names' attribute");
        }
        String[] weightNames = strings(file, "layer " + layer + " weight_names", wn);
        List<KerasArray> arrays = new ArrayList<>(weightNames.length);
        for (String w : weightNames) {
            arrays.add(readArray(file, group, layer, w));
        }
        return new KerasLayerWeights(layer, arrays);
    }

    private static KerasArray readArray(Path file, Group group, String layer, String name) {
        Node node;
        try {
            node = group.getByPath(name);
        } catch (RuntimeException e) {
            node = null;
        }
        if (!(node instanceof Dataset ds)) {
            throw new CxrException(file + ": layer " + layer + ": weight " + name + " is listed in weight_names but "
                    + (node == null ? "is missing" : "is not a dataset"));
        }
        try {
            Class<?> type = ds.getJavaType();
            if (type != float.class) {
                throw new CxrException(
                        file + ": layer " + layer + ": weight " + name + " is " + typeName(ds) + ", expected float32");
            }
            int[] shape = ds.isScalar() ? new int[0] : ds.getDimensions();
            float[] values = ds.isScalar() ? new float[] {(Float) ds.getData()} : (float[]) ds.getDataFlat();
            FileChecks.requireSane(file, "layer " + layer + ": weight " + name, values);
            return new KerasArray(name, shape, values);
        } catch (CxrException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CxrException(
                    file + ": layer " + layer + ": weight " + name + " is unreadable (" + e.getMessage()
                            + "); the file is damaged",
                    e);
        }
    }

    /**
     * A string-array attribute. Keras writes an empty list as an empty float64 array, which jhdf
     * returns as null data: that means no entries.
     */
    private static String[] strings(Path file, String what, Attribute a) {
        Object data = a.getData();
        if (data == null || a.isEmpty()) {
            return new String[0];
        }
        if (data instanceof String[] s) {
            return s;
        }
        if (data instanceof String s) {
            return new String[] {s};
        }
        throw new CxrException(file + ": " + what + " should be strings, found "
                + a.getJavaType().getSimpleName() + " data");
    }

    private static String text(Attribute a, String absent) {
        if (a == null || a.getData() == null) {
            return absent;
        }
        Object d = a.getData();
        return d instanceof String[] s && s.length == 1 ? s[0] : d.toString();
    }

    /** numpy's name for a dataset's element type, for messages. */
    private static String typeName(Dataset ds) {
        Class<?> t = ds.getJavaType();
        int bits = ds.getDataType().getSize() * 8;
        if (t == double.class || t == float.class) {
            return "float" + bits;
        }
        if (t == byte.class || t == short.class || t == int.class || t == long.class) {
            return "int" + bits;
        }
        if (t == String.class) {
            return "a string";
        }
        return t.getSimpleName();
    }

    private static String childrenText(Group g) {
        try {
            List<String> names = new ArrayList<>(g.getChildren().keySet());
            return names.isEmpty()
                    ? "nothing"
                    : String.join(", ", names.subList(0, Math.min(names.size(), 5)))
                            + (names.size() > 5 ? ", ..." : "");
        } catch (RuntimeException e) {
            return "unreadable groups";
        }
    }
}
