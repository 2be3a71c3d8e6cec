package dev.cxr.engine.layers;

import dev.cxr.engine.backend.Backend;
import dev.cxr.engine.tensor.Shape;
import dev.cxr.engine.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Name, backend and reusable output buffers shared by the concrete layers. */
abstract class AbstractLayer implements Layer {
    protected final Backend backend;
    private final String name;
    private final List<Parameter> params = new ArrayList<>();
    private final List<Tensor> buffers = new ArrayList<>();

    protected AbstractLayer(Backend backend, String name) {
        this.backend = Objects.requireNonNull(backend, "backend");
        this.name = Objects.requireNonNull(name, "name");
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<Parameter> parameters() {
        return List.copyOf(params);
    }

    protected Parameter addParameter(String paramName, Shape shape) {
        Parameter p = new Parameter(name + "/" + paramName, backend, backend.zeros(shape));
        params.add(p);
        return p;
    }

    /**
     * A buffer of the given shape: {@code current} when it already has it, otherwise a new one
     * (the old one is released). Layers keep outputs and gradients in these between calls.
     */
    protected Tensor buffer(Tensor current, Shape shape) {
        if (current != null && current.shape().equals(shape)) {
            return current;
        }
        if (current != null) {
            buffers.remove(current);
            current.close();
        }
        Tensor t = backend.zeros(shape);
        buffers.add(t);
        return t;
    }

    protected static void requireForward(Object saved, String layer) {
        if (saved == null) {
            throw new IllegalStateException(layer + ": backward called before forward");
        }
    }

    @Override
    public void close() {
        buffers.forEach(Tensor::close);
        buffers.clear();
        params.forEach(Parameter::close);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(" + name + ")";
    }
}
