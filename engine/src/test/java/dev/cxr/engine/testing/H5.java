package dev.cxr.engine.testing;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import java.lang.reflect.Array;

/** Reads numeric HDF5 datasets of any element type and rank into flat double arrays, for tests. */
public final class H5 {
    private H5() {
    }

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

    public static float[] flatFloats(HdfFile file, String path) {
        double[] d = flat(file, path);
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

    public static int[] dims(HdfFile file, String path) {
        return file.getDatasetByPath(path).getDimensions();
    }
}
