package dev.cxr.engine.layers;

import dev.cxr.engine.backend.Backend;
import dev.cxr.engine.tensor.Shape;
import dev.cxr.engine.tensor.Tensor;

/**
 * [N, C, H, W] -> [N, C*H*W] as a view, in NCHW order (channel-major). Keras flattens NHWC
 * (channel-minor); the two agree when H = W = 1, as after the tutorial's 4x4 pool. A Dense kernel
 * loaded from Keras after a larger map would need its rows permuted.
 */
public final class Flatten extends AbstractLayer {
    private Shape inShape;

    public Flatten(Backend backend, String name) {
        super(backend, name);
    }

    @Override
    public Shape outputShape(Shape in) {
        return Shape.of(in.n(), in.sizePerItem());
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        inShape = x.shape();
        return x.view(outputShape(inShape));
    }

    @Override
    public Tensor backward(Tensor dy) {
        requireForward(inShape, name());
        return dy.view(inShape);
    }
}
