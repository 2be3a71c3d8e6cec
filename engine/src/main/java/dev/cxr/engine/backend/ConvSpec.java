package dev.cxr.engine.backend;

/**
 * Geometry of a 2-D convolution over NCHW: kernel size, stride and the zero padding on each side.
 * Padding may be asymmetric, as TensorFlow's 'same' is for even kernels or strides above 1.
 */
public record ConvSpec(
        int kernelH, int kernelW, int strideH, int strideW, int padTop, int padBottom, int padLeft, int padRight) {

    public ConvSpec {
        if (kernelH < 1 || kernelW < 1) {
            throw new IllegalArgumentException("kernel must be at least 1x1, got " + kernelH + "x" + kernelW);
        }
        if (strideH < 1 || strideW < 1) {
            throw new IllegalArgumentException("stride must be at least 1, got " + strideH + "x" + strideW);
        }
        if (padTop < 0 || padBottom < 0 || padLeft < 0 || padRight < 0) {
            throw new IllegalArgumentException("padding must not be negative");
        }
    }

    /** No padding: only windows that fit entirely inside the input. */
    public static ConvSpec valid(int kernelH, int kernelW, int strideH, int strideW) {
        return new ConvSpec(kernelH, kernelW, strideH, strideW, 0, 0, 0, 0);
    }

    /**
     * TensorFlow's 'same' padding for an input of inH x inW: output ceil(in / stride), the total
     * padding split with the smaller half before (top, left).
     */
    public static ConvSpec same(int kernelH, int kernelW, int strideH, int strideW, int inH, int inW) {
        int padH = samePadTotal(inH, kernelH, strideH);
        int padW = samePadTotal(inW, kernelW, strideW);
        return new ConvSpec(kernelH, kernelW, strideH, strideW, padH / 2, padH - padH / 2, padW / 2, padW - padW / 2);
    }

    private static int samePadTotal(int in, int kernel, int stride) {
        int out = (in + stride - 1) / stride;
        return Math.max((out - 1) * stride + kernel - in, 0);
    }

    public int outH(int inH) {
        return checkedOut(inH + padTop + padBottom - kernelH, strideH, inH);
    }

    public int outW(int inW) {
        return checkedOut(inW + padLeft + padRight - kernelW, strideW, inW);
    }

    private static int checkedOut(int span, int stride, int in) {
        if (span < 0) {
            throw new IllegalArgumentException("input size " + in + " is smaller than the kernel");
        }
        return span / stride + 1;
    }
}
