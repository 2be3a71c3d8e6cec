package dev.cxr.engine.testing;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import java.lang.reflect.Array;

/** Reads numeric HDF5 datasets of any element type and rank into flat arrays, for tests. */
public final class H5 {
    private H5() {}

    public static double[] flat(HdfFile file, String path) {
        Dataset ds = file.getDatasetByPath(path);
        Object data = ds.getDataFlat();
        int n = Array.getLength(data);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = ((Number) Array.get(data, i)).doubleValue();
        }
        return out;
    }

    /** Any numeric dataset as a flat float array (float32 datasets as read, without a copy). */
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

    public static int[] ints(HdfFile file, String path) {
        double[] d = flat(file, path);
        int[] out = new int[d.length];
        for (int i = 0; i < d.length; i++) {
            out[i] = (int) d[i];
        }
        return out;
    }

    public static int[] dims(HdfFile file, String path) {
        return file.getDatasetByPath(path).getDimensions();
    }
}
