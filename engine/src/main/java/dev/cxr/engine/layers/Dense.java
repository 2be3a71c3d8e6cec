package dev.cxr.engine.layers;

import dev.cxr.engine.backend.Backend;
import dev.cxr.engine.init.Initializers;
import dev.cxr.engine.tensor.Shape;
import dev.cxr.engine.tensor.Tensor;
import java.util.random.RandomGenerator;

/**
 * Fully connected layer y = x . W + b with an optional fused ReLU, as Keras's Dense. Kernel
 * [in, out] (Keras's own layout, so Keras weights load without transposing), bias [out].
 */
public final class Dense extends AbstractLayer {
    private final int in;
    private final int out;
    private final Activation activation;
    private final Parameter kernel;
    private final Parameter bias;

    private Tensor x;
    private Tensor y;
    private Tensor dz;
    private Tensor dx;

    public Dense(Backend backend, String name, int in, int out, Activation activation) {
        super(backend, name);
        if (in < 1 || out < 1) {
            throw new IllegalArgumentException(name + ": units must be positive, got " + in + " -> " + out);
        }
        this.in = in;
        this.out = out;
        this.activation = activation;
        this.kernel = addParameter("kernel", Shape.of(in, out));
        this.bias = addParameter("bias", Shape.of(out));
    }

    /** Glorot-uniform kernel, zero bias, as Keras initialises a fresh Dense. */
    public Dense initialize(RandomGenerator random) {
        kernel.set(Initializers.glorotUniform(in * out, in, out, random));
        bias.set(Initializers.zeros(out));
        return this;
    }

    public Parameter kernel() {
        return kernel;
    }

    public Parameter bias() {
        return bias;
    }

    public int units() {
        return out;
    }

    @Override
    public Shape outputShape(Shape input) {
        if (input.rank() != 2 || input.c() != in) {
            throw new IllegalArgumentException(name() + ": expected input (N," + in + "), got " + input
                    + (input.rank() > 2 ? "; put a Flatten before it" : ""));
        }
        return Shape.of(input.n(), out);
    }

    // x [N, in] -> y [N, out] = x . W + b, then ReLU?
    // keeps x (for dW) and y (for the ReLU mask)
    @Override
    public Tensor forward(Tensor input, boolean training) {
        Shape shape = outputShape(input.shape());
        int n = shape.n();
        y = buffer(y, shape);
        backend.gemm(false, false, n, out, in, 1f, input, kernel.value(), 0f, y);
        backend.biasAdd(y, bias.value());
        if (activation == Activation.RELU) {
            backend.reluForward(y, y);
        }
        x = input;
        return y;
    }

    // dy [N, out] -> dx [N, in] = dz . W^T;  dW += x^T . dz, db += sum_n dz, where dz = dy * relu'(y)
    @Override
    public Tensor backward(Tensor dy) {
        requireForward(x, name());
        int n = x.shape().n();
        Tensor grad = dy;
        if (activation == Activation.RELU) {
            dz = buffer(dz, dy.shape());
            backend.reluBackward(y, dy, dz);
            grad = dz;
        }
        if (kernel.trainable()) {
            backend.gemm(true, false, in, out, n, 1f, x, grad, 1f, kernel.grad());
        }
        if (bias.trainable()) {
            backend.biasBackward(grad, bias.grad());
        }
        dx = buffer(dx, x.shape());
        backend.gemm(false, true, n, in, out, 1f, grad, kernel.value(), 0f, dx);
        return dx;
    }
}
