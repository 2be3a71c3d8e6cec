package dev.cxr.engine.testing;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.jhdf.api.WritableGroup;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An HDF5 file read into memory (groups, datasets, attributes), changed, and written again with
 * jhdf: how tests make a file that is damaged in one known way (an attribute of the wrong type, a
 * dataset of int8, a NaN in one array) while everything else stays as a real writer wrote it.
 * Paths are slash-separated from the root, "" is the root itself.
 */
public final class H5Edit {
    private final Entry root = new Entry(null);

    private static final class Entry {
        final Map<String, Object> attributes = new LinkedHashMap<>();
        final Map<String, Entry> children = new LinkedHashMap<>();
        Object data; // a dataset's data; null for a group

        Entry(Object data) {
            this.data = data;
        }
    }

    private H5Edit() {}

    /** Reads every group, dataset and attribute of {@code file}. */
    public static H5Edit of(Path file) {
        H5Edit e = new H5Edit();
        try (HdfFile h5 = new HdfFile(file)) {
            copy(h5, e.root);
        }
        return e;
    }

    private static void copy(Group g, Entry into) {
        for (Map.Entry<String, Attribute> a : g.getAttributes().entrySet()) {
            into.attributes.put(a.getKey(), a.getValue().getData());
        }
        for (Map.Entry<String, Node> c : g.getChildren().entrySet()) {
            if (c.getValue() instanceof Group child) {
                Entry e = new Entry(null);
                copy(child, e);
                into.children.put(c.getKey(), e);
            } else if (c.getValue() instanceof Dataset ds) {
                into.children.put(c.getKey(), new Entry(ds.getData()));
            }
        }
    }

    private Entry at(String path) {
        Entry e = root;
        for (String part : path.isEmpty() ? new String[0] : path.split("/")) {
            e = e.children.get(part);
            if (e == null) {
                throw new IllegalArgumentException("no " + path + " in the file");
            }
        }
        return e;
    }

    /** The data of the dataset at {@code path} (jhdf's nested array). */
    public Object data(String path) {
        return at(path).data;
    }

    public Object attribute(String path, String name) {
        return at(path).attributes.get(name);
    }

    /** Sets (or adds) an attribute of the group at {@code path}; {@code value} as jhdf writes it. */
    public H5Edit attribute(String path, String name, Object value) {
        at(path).attributes.put(name, value);
        return this;
    }

    public H5Edit removeAttribute(String path, String name) {
        at(path).attributes.remove(name);
        return this;
    }

    /** Replaces the dataset at {@code path} (any type and shape jhdf writes). */
    public H5Edit dataset(String path, Object data) {
        int cut = path.lastIndexOf('/');
        Entry parent = at(cut < 0 ? "" : path.substring(0, cut));
        parent.children.put(path.substring(cut + 1), new Entry(data));
        return this;
    }

    public H5Edit remove(String path) {
        int cut = path.lastIndexOf('/');
        at(cut < 0 ? "" : path.substring(0, cut)).children.remove(path.substring(cut + 1));
        return this;
    }

    public Path write(Path file) {
        try (WritableHdfFile out = HdfFile.write(file)) {
            write(out, root);
        }
        return file;
    }

    private static void write(WritableGroup g, Entry e) {
        // jhdf cannot write Keras's empty float64 lists (read back as null): such attributes are left out
        e.attributes.forEach((name, value) -> {
            if (value != null) {
                g.putAttribute(name, value);
            }
        });
        for (Map.Entry<String, Entry> c : e.children.entrySet()) {
            if (c.getValue().data == null) {
                write(g.putGroup(c.getKey()), c.getValue());
            } else {
                g.putDataset(c.getKey(), c.getValue().data);
            }
        }
    }
}
