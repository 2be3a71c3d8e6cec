package dev.cxr.engine.io;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableGroup;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes small Keras 1 / Keras 2 weights files with jhdf, for tests: root {@code layer_names}, one
 * group per layer with {@code weight_names}, datasets directly in the group (Keras 1,
 * {@code <layer>_W_1:0}) or in a nested group (Keras 2, {@code <layer>/kernel:0}). jhdf cannot write
 * the empty float64 {@code weight_names} Keras gives weightless layers, so these files list only
 * layers with weights; the checked-in fixtures made with h5py cover the empty case.
 */
public final class KerasFiles {
    private final Map<String, List<Object>> layers = new LinkedHashMap<>();
    private final Map<String, List<String>> suffixes = new LinkedHashMap<>();

    /** Adds a layer whose arrays are Java arrays of any rank (their nesting gives the shape). */
    public KerasFiles layer(String name, Object kernel, Object bias) {
        layers.put(name, List.of(kernel, bias));
        suffixes.put(name, List.of("kernel", "bias"));
        return this;
    }

    public KerasFiles remove(String name) {
        layers.remove(name);
        return this;
    }

    public Path write(Path file, boolean keras2) {
        return write(file, keras2, false);
    }

    /** @param fullModel write as {@code model.save()} does: the weights under a group {@code model_weights} */
    public Path write(Path file, boolean keras2, boolean fullModel) {
        try (WritableHdfFile out = HdfFile.write(file)) {
            WritableGroup h5 = out;
            if (fullModel) {
                out.putAttribute("model_config", "{\"class_name\": \"Sequential\"}");
                h5 = out.putGroup("model_weights");
            }
            h5.putAttribute("layer_names", layers.keySet().toArray(new String[0]));
            if (keras2) {
                h5.putAttribute("keras_version", "2.2.4");
                h5.putAttribute("backend", "tensorflow");
            }
            for (Map.Entry<String, List<Object>> e : layers.entrySet()) {
                String layer = e.getKey();
                WritableGroup g = h5.putGroup(layer);
                List<String> names = new ArrayList<>();
                WritableGroup holder = keras2 ? g.putGroup(layer) : g;
                for (int i = 0; i < e.getValue().size(); i++) {
                    String suffix = suffixes.get(layer).get(i);
                    String ds = keras2 ? suffix + ":0" : layer + (i == 0 ? "_W_1:0" : "_b_1:0");
                    holder.putDataset(ds, e.getValue().get(i));
                    names.add(keras2 ? layer + "/" + ds : ds);
                }
                g.putAttribute("weight_names", names.toArray(new String[0]));
            }
        }
        return file;
    }

    /** A [kh][kw][in][out] kernel of distinct values: value = 1000*y + 100*x + 10*i + o + offset/1000. */
    public static float[][][][] hwio(int kh, int kw, int in, int out, int offset) {
        float[][][][] k = new float[kh][kw][in][out];
        for (int y = 0; y < kh; y++) {
            for (int x = 0; x < kw; x++) {
                for (int i = 0; i < in; i++) {
                    for (int o = 0; o < out; o++) {
                        k[y][x][i][o] = 1000 * y + 100 * x + 10 * i + o + offset / 1000f;
                    }
                }
            }
        }
        return k;
    }

    /** 0.5, 1.5, ... plus a layer offset: never zero. */
    public static float[] ramp(int n, int offset) {
        float[] b = new float[n];
        for (int i = 0; i < n; i++) {
            b[i] = i + 0.5f + offset;
        }
        return b;
    }

    public static float[][] matrix(int rows, int cols, int offset) {
        float[][] m = new float[rows][cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                m[r][c] = r * 0.01f + c + offset;
            }
        }
        return m;
    }
}
