package dev.cxr.engine.io;

import dev.cxr.engine.CxrException;
import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.io.IOException;
import java.nio.file.Files;
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
    private KerasWeightsReader() {
    }

    public static KerasWeights read(Path file) {
        requireNonEmptyFile(file);
        try (HdfFile h5 = open(file)) {
            requireComplete(file, h5);
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
            return new KerasWeights(file, text(root.getAttribute("keras_version"), "1"),
                    text(root.getAttribute("backend"), ""), layers);
        }
    }

    private static void requireNonEmptyFile(Path file) {
        if (!Files.exists(file)) {
            throw new CxrException(file + ": file not found");
        }
        if (!Files.isRegularFile(file)) {
            throw new CxrException(file + ": not a regular file");
        }
        try {
            if (Files.size(file) == 0) {
                throw new CxrException(file + ": empty file (0 bytes), not a Keras HDF5 weights file");
            }
        } catch (IOException e) {
            throw new CxrException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    private static HdfFile open(Path file) {
        try {
            return new HdfFile(file);
        } catch (RuntimeException e) {
            String why = String.valueOf(e.getMessage());
            if (why.contains("signature")) {
                throw new CxrException(file + ": not an HDF5 file (no HDF5 signature); expected a Keras .h5 weights file", e);
            }
            throw new CxrException(file + ": damaged HDF5 file, cannot open it (" + why + ")", e);
        }
    }

    /** A truncated download keeps its header, which still records the full size: compare. */
    private static void requireComplete(Path file, HdfFile h5) {
        long expected;
        long actual;
        try {
            expected = h5.getUserBlockSize() + h5.getHdfBackingStorage().getSuperblock().getEndOfFileAddress();
            actual = Files.size(file);
        } catch (IOException | RuntimeException e) {
            throw new CxrException(file + ": damaged HDF5 file, unreadable header (" + e.getMessage() + ")", e);
        }
        if (actual < expected) {
            throw new CxrException(file + ": truncated: " + actual + " bytes, its HDF5 header says " + expected
                    + " (an interrupted download? fetch or copy it again)");
        }
    }

    private static KerasLayerWeights readLayer(Path file, Group root, String layer) {
        Node node;
        try {
            node = root.getChild(layer);
        } catch (RuntimeException e) {
            throw new CxrException(file + ": layer " + layer + ": damaged group (" + e.getMessage() + ")", e);
        }
        if (!(node instanceof Group group)) {
            throw new CxrException(file + ": layer " + layer + " is listed in layer_names but has no group of that name");
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
            throw new CxrException(file + ": layer " + layer + ": weight " + name
                    + " is listed in weight_names but " + (node == null ? "is missing" : "is not a dataset"));
        }
        try {
            Class<?> type = ds.getJavaType();
            if (type != float.class) {
                throw new CxrException(file + ": layer " + layer + ": weight " + name + " is " + typeName(ds)
                        + ", expected float32");
            }
            int[] shape = ds.isScalar() ? new int[0] : ds.getDimensions();
            float[] values = ds.isScalar() ? new float[] {(Float) ds.getData()} : (float[]) ds.getDataFlat();
            return new KerasArray(name, shape, values);
        } catch (CxrException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CxrException(file + ": layer " + layer + ": weight " + name + " is unreadable ("
                    + e.getMessage() + "); the file is damaged", e);
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
        throw new CxrException(file + ": " + what + " should be strings, found " + a.getJavaType().getSimpleName()
                + " data");
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
            return names.isEmpty() ? "nothing" : String.join(", ", names.subList(0, Math.min(names.size(), 5)))
                    + (names.size() > 5 ? ", ..." : "");
        } catch (RuntimeException e) {
            return "unreadable groups";
        }
    }
}
