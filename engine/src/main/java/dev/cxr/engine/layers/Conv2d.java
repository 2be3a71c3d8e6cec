package dev.cxr.engine.layers;

import dev.cxr.engine.backend.Backend;
import dev.cxr.engine.backend.ConvSpec;
import dev.cxr.engine.init.Initializers;
import dev.cxr.engine.tensor.Shape;
import dev.cxr.engine.tensor.Tensor;
import java.util.random.RandomGenerator;

/**
 * 2-D convolution with bias and an optional fused ReLU, as Keras's Conv2D, with Keras's 'same' and
 * 'valid' padding and {@link Padding#LEADING} (top and left only). Kernel [K, C, kh, kw] (OIHW),
 * bias [K]. VGG16 uses 3x3, stride 1, 'same', ReLU (LEADING where only the top-left corner of its
 * output is needed).
 */
public final class Conv2d extends AbstractLayer {
    private final int inChannels;
    private final int filters;
    private final int kernelH;
    private final int kernelW;
    private final int stride;
    private final Padding padding;
    private final Activation activation;
    private final Parameter kernel;
    private final Parameter bias;

    private Tensor x;
    private ConvSpec spec;
    private Tensor y;
    private Tensor dz;
    private Tensor dx;

    public Conv2d(
            Backend backend,
            String name,
            int inChannels,
            int filters,
            int kernelSize,
            int stride,
            Padding padding,
            Activation activation) {
        super(backend, name);
        if (inChannels < 1 || filters < 1 || kernelSize < 1 || stride < 1) {
            throw new IllegalArgumentException(name + ": channels, filters, kernel and stride must be positive");
        }
        this.inChannels = inChannels;
        this.filters = filters;
        this.kernelH = kernelSize;
        this.kernelW = kernelSize;
        this.stride = stride;
        this.padding = padding;
        this.activation = activation;
        this.kernel = addParameter("kernel", Shape.of(filters, inChannels, kernelH, kernelW));
        this.bias = addParameter("bias", Shape.of(filters));
    }

    /** Glorot-uniform kernel, zero bias, as Keras initialises a fresh Conv2D. */
    public Conv2d initialize(RandomGenerator random) {
        int receptive = kernelH * kernelW;
        kernel.set(
                Initializers.glorotUniform(kernel.value().size(), receptive * inChannels, receptive * filters, random));
        bias.set(Initializers.zeros(filters));
        return this;
    }

    public Parameter kernel() {
        return kernel;
    }

    public Parameter bias() {
        return bias;
    }

    /** Whether ReLU follows the convolution (fused into it). */
    public boolean relu() {
        return activation == Activation.RELU;
    }

    public int inChannels() {
        return inChannels;
    }

    public int filters() {
        return filters;
    }

    /** The geometry this layer uses on an input of shape {@code in} ('same' and LEADING padding depend on the size). */
    public ConvSpec spec(Shape in) {
        switch (padding) {
            case SAME:
                return ConvSpec.same(kernelH, kernelW, stride, stride, in.h(), in.w());
            case LEADING: {
                ConvSpec same = ConvSpec.same(kernelH, kernelW, stride, stride, in.h(), in.w());
                return new ConvSpec(kernelH, kernelW, stride, stride, same.padTop(), 0, same.padLeft(), 0);
            }
            case VALID:
            default:
                return ConvSpec.valid(kernelH, kernelW, stride, stride);
        }
    }

    @Override
    public Shape outputShape(Shape in) {
        in.requireRank(4);
        if (in.c() != inChannels) {
            throw new IllegalArgumentException(
                    name() + ": expected " + inChannels + " input channels, got input " + in);
        }
        ConvSpec s = spec(in);
        return Shape.of(in.n(), filters, s.outH(in.h()), s.outW(in.w()));
    }

    // x [N, C, H, W] -> y [N, K, OH, OW]   kernel kh x kw, stride s, padding 'same', 'valid' or LEADING, + bias, ReLU?
    // keeps x (for dW) and y (for the ReLU mask)
    @Override
    public Tensor forward(Tensor input, boolean training) {
        Shape out = outputShape(input.shape());
        spec = spec(input.shape());
        y = buffer(y, out);
        backend.conv2dForward(input, kernel.value(), bias.value(), y, spec, activation == Activation.RELU);
        x = input;
        return y;
    }

    // dy [N, K, OH, OW] -> dx [N, C, H, W];  dW += x (*) dz, db += sum dz, where dz = dy * relu'(y)
    @Override
    public Tensor backward(Tensor dy) {
        requireForward(x, name());
        Tensor grad = dy;
        if (activation == Activation.RELU) {
            dz = buffer(dz, dy.shape());
            backend.reluBackward(y, dy, dz);
            grad = dz;
        }
        if (kernel.trainable()) {
            backend.conv2dBackwardFilter(x, grad, kernel.grad(), spec);
        }
        if (bias.trainable()) {
            backend.biasBackward(grad, bias.grad());
        }
        dx = buffer(dx, x.shape());
        backend.conv2dBackwardData(grad, kernel.value(), dx, spec);
        return dx;
    }
}
