package dev.cxr.model.testing;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import java.lang.reflect.Array;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Test resources, the repository's bundled dataset, and flat reads of HDF5 datasets, for the VGG tests. */
public final class VggTestFiles {
    private VggTestFiles() {
    }

    /** A file in the test resources. */
    public static Path resource(String name) {
        URL url = VggTestFiles.class.getClassLoader().getResource(name);
        if (url == null) {
            throw new IllegalStateException("test resource " + name + " is missing");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The repository's {@code data/covid-xray-50}, searched from the working directory upwards. */
    public static Optional<Path> dataset() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            Path candidate = dir.resolve("data/covid-xray-50");
            if (Files.isDirectory(candidate)) {
                return Optional.of(candidate);
            }
            dir = dir.getParent();
        }
        return Optional.empty();
    }

    /** Any numeric dataset as a flat float array. */
    public static float[] floats(HdfFile file, String path) {
        Object data = file.getDatasetByPath(path).getDataFlat();
        if (data instanceof float[] f) {
            return f;
        }
        int n = Array.getLength(data);
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = ((Number) Array.get(data, i)).floatValue();
        }
        return out;
    }

    /** A uint8 dataset as bytes (jhdf widens unsigned bytes; values are 0..255). */
    public static byte[] bytes(HdfFile file, String path) {
        Dataset ds = file.getDatasetByPath(path);
        Object data = ds.getDataFlat();
        if (data instanceof byte[] b) {
            return b;
        }
        int n = Array.getLength(data);
        byte[] out = new byte[n];
        for (int i = 0; i < n; i++) {
            out[i] = (byte) ((Number) Array.get(data, i)).intValue();
        }
        return out;
    }

    public static int[] dims(HdfFile file, String path) {
        return file.getDatasetByPath(path).getDimensions();
    }

    /** Asserts nothing; returns true when the message is one line (no line breaks). */
    public static boolean oneLine(String message) {
        return message != null && !message.isBlank() && message.indexOf('\n') < 0 && message.indexOf('\r') < 0;
    }
}
