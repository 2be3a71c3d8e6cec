package dev.cxr.engine.io;

import java.util.Arrays;
import java.util.Objects;

/**
 * One weight array of a Keras layer as the file stores it: its name from {@code weight_names}
 * ({@code block1_conv1_W_1:0} in Keras 1, {@code block1_conv1/kernel:0} in Keras 2), its shape in
 * Keras's layout (a conv kernel is HWIO) and its float32 values, row-major.
 */
public record KerasArray(String name, int[] shape, float[] values) {
    public KerasArray {
        Objects.requireNonNull(name, "name");
        shape = shape.clone();
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        if (n != values.length) {
            throw new IllegalArgumentException(
                    name + ": shape " + shapeText(shape) + " needs " + n + " values, got " + values.length);
        }
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    /** The shape as Keras prints it, e.g. {@code (3,3,64,128)}. */
    public String shapeText() {
        return shapeText(shape);
    }

    public static String shapeText(int[] shape) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            sb.append(i > 0 ? "," : "").append(shape[i]);
        }
        return sb.append(shape.length == 1 ? ",)" : ")").toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KerasArray a
                && name.equals(a.name)
                && Arrays.equals(shape, a.shape)
                && Arrays.equals(values, a.values);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + shapeText();
    }
}
