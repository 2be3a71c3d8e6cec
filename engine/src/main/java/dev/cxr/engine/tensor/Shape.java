package dev.cxr.engine.tensor;

import java.util.Arrays;

/**
 * The dimensions of a tensor, outermost first. Image tensors are NCHW: batch, channels, height,
 * width; dense activations are [N, F]. Immutable; validated on construction.
 */
public final class Shape {
    private final int[] dims;

    private Shape(int[] dims) {
        for (int d : dims) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(dims));
            }
        }
        this.dims = dims;
    }

    public static Shape of(int... dims) {
        return new Shape(dims.clone());
    }

    public int rank() {
        return dims.length;
    }

    public int dim(int axis) {
        return dims[axis < 0 ? dims.length + axis : axis];
    }

    public int[] dims() {
        return dims.clone();
    }

    /** The number of elements, checked against int overflow (tensors are backed by one array). */
    public int size() {
        long n = 1;
        for (int d : dims) {
            n *= d;
            if (n > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("shape " + this + " has more than 2^31-1 elements");
            }
        }
        return (int) n;
    }

    /** Batch size: the first dimension. */
    public int n() {
        return dims[0];
    }

    /** Channels (axis 1) of an NCHW or [N, F] shape. */
    public int c() {
        return dims[1];
    }

    /** Height of an NCHW shape. */
    public int h() {
        requireRank(4);
        return dims[2];
    }

    /** Width of an NCHW shape. */
    public int w() {
        requireRank(4);
        return dims[3];
    }

    /** This shape with the first dimension replaced, e.g. the same layer at another batch size. */
    public Shape withBatch(int n) {
        int[] d = dims.clone();
        d[0] = n;
        return new Shape(d);
    }

    /** Elements per batch item: the product of every dimension but the first. */
    public int sizePerItem() {
        return dims[0] == 0 ? 0 : size() / dims[0];
    }

    public Shape requireRank(int rank) {
        if (dims.length != rank) {
            throw new IllegalArgumentException("expected a rank-" + rank + " shape, got " + this);
        }
        return this;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape s && Arrays.equals(dims, s.dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < dims.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(dims[i]);
        }
        return sb.append(')').toString();
    }
}
