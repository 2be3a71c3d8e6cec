package dev.cxr.model.testing;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import java.lang.reflect.Array;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The repository's bundled dataset and uint8 HDF5 reads, for the VGG tests (resources, the shared
 * reference and other HDF5 reads are in {@code dev.cxr.engine.testing}).
 */
public final class VggTestFiles {
    private VggTestFiles() {}

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

    /** Asserts nothing; returns true when the message is one line (no line breaks). */
    public static boolean oneLine(String message) {
        return message != null && !message.isBlank() && message.indexOf('\n') < 0 && message.indexOf('\r') < 0;
    }
}
