package dev.cxr.engine.layers;

import dev.cxr.engine.backend.Backend;
import dev.cxr.engine.tensor.Tensor;
import java.util.Objects;

/**
 * A named learnable tensor with its gradient and a trainable flag. Backward passes add into the
 * gradient; {@link #zeroGrad()} clears it. A frozen parameter gets no gradient and no updates.
 */
public final class Parameter implements AutoCloseable {
    private final String name;
    private final Backend backend;
    private final Tensor value;
    private Tensor grad;
    private boolean trainable = true;

    public Parameter(String name, Backend backend, Tensor value) {
        this.name = Objects.requireNonNull(name, "name");
        this.backend = Objects.requireNonNull(backend, "backend");
        this.value = Objects.requireNonNull(value, "value");
    }

    public String name() {
        return name;
    }

    public Tensor value() {
        return value;
    }

    /** The gradient, allocated (zero) on first use. */
    public Tensor grad() {
        if (grad == null) {
            grad = backend.zeros(value.shape());
        }
        return grad;
    }

    public boolean trainable() {
        return trainable;
    }

    public void setTrainable(boolean trainable) {
        this.trainable = trainable;
    }

    public void zeroGrad() {
        if (grad != null) {
            backend.fill(grad, 0f);
        }
    }

    /** Replaces the value with {@code data} (row-major, in this parameter's shape). */
    public void set(float[] data) {
        if (data.length != value.size()) {
            throw new IllegalArgumentException(name + ": expected " + value.size() + " values for shape "
                    + value.shape() + ", got " + data.length);
        }
        try (Tensor t = backend.upload(value.shape(), data)) {
            backend.copy(t, value);
        }
    }

    public float[] get() {
        return backend.download(value);
    }

    @Override
    public void close() {
        value.close();
        if (grad != null) {
            grad.close();
        }
    }

    @Override
    public String toString() {
        return name + value.shape() + (trainable ? "" : " frozen");
    }
}
