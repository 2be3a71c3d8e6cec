package dev.cxr.engine.layers;

import dev.cxr.engine.backend.Backend;
import dev.cxr.engine.tensor.Shape;
import dev.cxr.engine.tensor.Tensor;

/** y = max(x, 0) as a layer of its own (Conv2d and Dense can also fuse it). */
public final class ReLU extends AbstractLayer {
    private Tensor y;
    private Tensor dx;

    public ReLU(Backend backend, String name) {
        super(backend, name);
    }

    @Override
    public Shape outputShape(Shape in) {
        return in;
    }

    // x [any] -> y [same]; keeps y: its sign is the mask for backward
    @Override
    public Tensor forward(Tensor x, boolean training) {
        y = buffer(y, x.shape());
        backend.reluForward(x, y);
        return y;
    }

    @Override
    public Tensor backward(Tensor dy) {
        requireForward(y, name());
        dx = buffer(dx, dy.shape());
        backend.reluBackward(y, dy, dx);
        return dx;
    }
}
