package dev.cxr.engine.layers;

import dev.cxr.engine.backend.Backend;
import dev.cxr.engine.tensor.Shape;
import dev.cxr.engine.tensor.Tensor;

/** Softmax over the features of [N, F]; backward is the full Jacobian-vector product. */
public final class Softmax extends AbstractLayer {
    private Tensor y;
    private Tensor dx;

    public Softmax(Backend backend, String name) {
        super(backend, name);
    }

    @Override
    public Shape outputShape(Shape in) {
        return in.requireRank(2);
    }

    // x [N, F] -> y [N, F], rows summing to 1; keeps y for backward
    @Override
    public Tensor forward(Tensor x, boolean training) {
        y = buffer(y, outputShape(x.shape()));
        backend.softmaxForward(x, y);
        return y;
    }

    // dx = y * (dy - <dy, y>) per row
    @Override
    public Tensor backward(Tensor dy) {
        requireForward(y, name());
        dx = buffer(dx, dy.shape());
        backend.softmaxBackward(y, dy, dx);
        return dx;
    }
}
