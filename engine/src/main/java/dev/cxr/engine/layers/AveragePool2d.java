package dev.cxr.engine.layers;

import dev.cxr.engine.backend.Backend;
import dev.cxr.engine.backend.PoolSpec;
import dev.cxr.engine.tensor.Shape;
import dev.cxr.engine.tensor.Tensor;

/**
 * Average pooling with 'valid' padding, as Keras's AveragePooling2D. The tutorial's head uses a
 * 4x4 pool with stride 4 on VGG16's 7x7 map: one window, rows and columns 0-3; the rest of the
 * map never reaches the head (and gets zero gradient).
 */
public final class AveragePool2d extends AbstractLayer {
    private final PoolSpec spec;
    private Shape inShape;
    private Tensor y;
    private Tensor dx;

    public AveragePool2d(Backend backend, String name, int pool, int stride) {
        super(backend, name);
        this.spec = PoolSpec.of(pool, stride);
    }

    @Override
    public Shape outputShape(Shape in) {
        in.requireRank(4);
        return Shape.of(in.n(), in.c(), spec.outH(in.h()), spec.outW(in.w()));
    }

    // x [N, C, H, W] -> y [N, C, OH, OW]   mean of each window
    @Override
    public Tensor forward(Tensor input, boolean training) {
        y = buffer(y, outputShape(input.shape()));
        backend.avgPoolForward(input, y, spec);
        inShape = input.shape();
        return y;
    }

    // dy [N, C, OH, OW] -> dx [N, C, H, W]
    @Override
    public Tensor backward(Tensor dy) {
        requireForward(inShape, name());
        dx = buffer(dx, inShape);
        backend.avgPoolBackward(dy, dx, spec);
        return dx;
    }
}
