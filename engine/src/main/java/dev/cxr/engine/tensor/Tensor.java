package dev.cxr.engine.tensor;

import java.util.Objects;

/**
 * A float32 tensor: a {@link Shape} over a backend's {@link Storage}, row-major with the last
 * dimension contiguous. The engine's one layout for images is NCHW (batch, channel, row, column),
 * what cuDNN calls NCHW-packed; dense activations are [N, F]. Convolution kernels are OIHW
 * (out channel, in channel, kernel row, kernel column); dense kernels are [in, out] as in Keras.
 *
 * <p>A tensor made by {@link #view(Shape)} shares its owner's storage and does not release it;
 * closing the owner releases the memory for both.
 */
public final class Tensor implements AutoCloseable {
    private final Shape shape;
    private final Storage storage;
    private final boolean owner;

    public Tensor(Shape shape, Storage storage) {
        this(shape, storage, true);
    }

    private Tensor(Shape shape, Storage storage, boolean owner) {
        this.shape = Objects.requireNonNull(shape, "shape");
        this.storage = Objects.requireNonNull(storage, "storage");
        if (shape.size() > storage.capacity()) {
            throw new IllegalArgumentException(
                    "shape " + shape + " needs " + shape.size() + " floats, storage holds " + storage.capacity());
        }
        this.owner = owner;
    }

    public Shape shape() {
        return shape;
    }

    public int size() {
        return shape.size();
    }

    public Storage storage() {
        return storage;
    }

    /** Throws, naming both shapes, unless {@code a} and {@code b} hold as many elements (what elementwise ops need). */
    public static void requireSameSize(Tensor a, Tensor b) {
        if (a.size() != b.size()) {
            throw new IllegalArgumentException("size mismatch: " + a.shape() + " vs " + b.shape());
        }
    }

    /** Throws unless {@code t} has exactly the shape {@code expected}; {@code what} names it in the message. */
    public static void requireShape(Tensor t, Shape expected, String what) {
        if (!t.shape().equals(expected)) {
            throw new IllegalArgumentException(what + ": expected shape " + expected + ", got " + t.shape());
        }
    }

    /** The same memory seen with another shape of the same size (Flatten, for instance). */
    public Tensor view(Shape newShape) {
        if (newShape.size() != shape.size()) {
            throw new IllegalArgumentException("cannot view " + shape + " as " + newShape);
        }
        return new Tensor(newShape, storage, false);
    }

    @Override
    public void close() {
        if (owner) {
            storage.close();
        }
    }

    @Override
    public String toString() {
        return "Tensor" + shape;
    }
}
