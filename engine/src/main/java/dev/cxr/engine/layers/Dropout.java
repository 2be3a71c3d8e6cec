package dev.cxr.engine.layers;

import dev.cxr.engine.backend.Backend;
import dev.cxr.engine.tensor.Shape;
import dev.cxr.engine.tensor.Tensor;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Inverted dropout, as Keras's Dropout: while training, each element is kept with probability
 * 1 - rate and scaled by 1 / (1 - rate), so inference is the identity. The mask is drawn on the host
 * from the generator passed in, so every backend drops the same elements for the same seed.
 */
public final class Dropout extends AbstractLayer {
    private final float rate;
    private final RandomGenerator random;
    private Tensor mask;
    private Tensor y;
    private Tensor dx;
    private boolean masked;

    public Dropout(Backend backend, String name, float rate, RandomGenerator random) {
        super(backend, name);
        if (!(rate >= 0f && rate < 1f)) {
            throw new IllegalArgumentException(name + ": dropout rate must be in [0, 1), got " + rate);
        }
        this.rate = rate;
        this.random = Objects.requireNonNull(random, "random");
    }

    public float rate() {
        return rate;
    }

    @Override
    public Shape outputShape(Shape in) {
        return in;
    }

    // x [any] -> y = x * mask, mask in {0, 1/(1-rate)}; identity when not training or rate = 0
    @Override
    public Tensor forward(Tensor x, boolean training) {
        masked = training && rate > 0f;
        if (!masked) {
            return x;
        }
        float keep = 1f - rate;
        float scale = 1f / keep;
        float[] m = new float[x.size()];
        for (int i = 0; i < m.length; i++) {
            m[i] = random.nextFloat() < keep ? scale : 0f;
        }
        mask = buffer(mask, x.shape());
        try (Tensor upload = backend.upload(x.shape(), m)) {
            backend.copy(upload, mask);
        }
        y = buffer(y, x.shape());
        backend.mul(x, mask, y);
        return y;
    }

    // dx = dy * mask (the same mask as forward)
    @Override
    public Tensor backward(Tensor dy) {
        if (!masked) {
            return dy;
        }
        dx = buffer(dx, dy.shape());
        backend.mul(dy, mask, dx);
        return dx;
    }
}
