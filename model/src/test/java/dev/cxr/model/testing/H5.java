package dev.cxr.model.testing;

import io.jhdf.HdfFile;
import java.lang.reflect.Array;

/** Reads numeric HDF5 datasets of any element type into flat arrays, for tests. */
public final class H5 {
    private H5() {
    }

    public static double[] flat(HdfFile file, String path) {
        Object data = file.getDatasetByPath(path).getDataFlat();
        double[] out = new double[Array.getLength(data)];
        for (int i = 0; i < out.length; i++) {
            out[i] = ((Number) Array.get(data, i)).doubleValue();
        }
        return out;
    }

    public static float[] floats(HdfFile file, String path) {
        double[] d = flat(file, path);
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

    public static int[] ints(HdfFile file, String path) {
        double[] d = flat(file, path);
        int[] out = new int[d.length];
        for (int i = 0; i < d.length; i++) {
            out[i] = (int) d[i];
        }
        return out;
    }
}
