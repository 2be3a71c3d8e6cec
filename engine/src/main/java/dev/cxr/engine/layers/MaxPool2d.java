package dev.cxr.engine.layers;

import dev.cxr.engine.backend.Backend;
import dev.cxr.engine.backend.ConvSpec;
import dev.cxr.engine.backend.PoolSpec;
import dev.cxr.engine.tensor.Shape;
import dev.cxr.engine.tensor.Tensor;

/**
 * Max pooling with 'valid' padding, as Keras's MaxPooling2D (VGG16: 2x2, stride 2). Backward sends
 * each window's gradient to its first maximum in row-major order, as TensorFlow does with ties.
 */
public final class MaxPool2d extends AbstractLayer {
    private final PoolSpec spec;
    private Tensor x;
    private Tensor y;
    private Tensor dx;

    public MaxPool2d(Backend backend, String name, int pool, int stride) {
        super(backend, name);
        this.spec = PoolSpec.of(pool, stride);
    }

    /** The pooling window and stride. */
    public PoolSpec spec() {
        return spec;
    }

    @Override
    public Shape outputShape(Shape in) {
        in.requireRank(4);
        return Shape.of(in.n(), in.c(), spec.outH(in.h()), spec.outW(in.w()));
    }

    // x [N, C, H, W] -> y [N, C, OH, OW]   max of each window; keeps x and y for backward
    @Override
    public Tensor forward(Tensor input, boolean training) {
        y = buffer(y, outputShape(input.shape()));
        backend.maxPoolForward(input, y, spec);
        x = input;
        return y;
    }

    /**
     * Inference only: this pool applied to {@code conv}'s output for {@code input}, computed by the
     * backend in one pass where it fuses the pair (the convolution's output is then never written),
     * otherwise as the two layers' forward passes. No backward pass may follow a fused one.
     */
    public Tensor forwardAfter(Conv2d conv, Tensor input) {
        ConvSpec convSpec = conv.spec(input.shape());
        Tensor kernel = conv.kernel().value();
        if (!backend.fusesConvMaxPool(input.shape(), kernel.shape(), convSpec, spec)) {
            return forward(conv.forward(input, false), false);
        }
        y = buffer(y, outputShape(conv.outputShape(input.shape())));
        backend.conv2dMaxPoolForward(input, kernel, conv.bias().value(), y, convSpec, conv.relu(), spec);
        x = null;
        return y;
    }

    // dy [N, C, OH, OW] -> dx [N, C, H, W]
    @Override
    public Tensor backward(Tensor dy) {
        requireForward(x, name());
        dx = buffer(dx, x.shape());
        backend.maxPoolBackward(x, y, dy, dx, spec);
        return dx;
    }
}
