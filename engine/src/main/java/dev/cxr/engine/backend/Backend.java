package dev.cxr.engine.backend;

import dev.cxr.engine.tensor.Shape;
import dev.cxr.engine.tensor.Tensor;

/**
 * The small set of ops every layer, loss and optimizer is written in. Implementations: the reference
 * CPU backend (plain loops, the oracle), faster CPU and CUDA backends, each tested against the
 * reference. A backend is chosen once, at the edge, and passed through constructors.
 *
 * <p>Conventions. Tensors are NCHW (images) or [N, F] (dense), see {@link Tensor}. Ops overwrite
 * their outputs, except where a method says it accumulates: parameter gradients
 * ({@link #conv2dBackwardFilter}, {@link #biasBackward}) add into what is there, so zeroing them is
 * an explicit call. Tensors passed to a backend must have been allocated by a compatible backend.
 */
public interface Backend extends AutoCloseable {

    /** A short name for messages and reports ("cpu-reference", "cpu", "cuda:0"). */
    String name();

    // ---- memory ----

    /** A new tensor filled with zeros. */
    Tensor zeros(Shape shape);

    /** A new tensor holding a copy of {@code data} (length must equal the shape's size). */
    Tensor upload(Shape shape, float[] data);

    /** A copy of the tensor's elements, row-major. */
    float[] download(Tensor t);

    /** dst = src (same size). */
    void copy(Tensor src, Tensor dst);

    /** Every element of t = value. */
    void fill(Tensor t, float value);

    // ---- elementwise ----

    /** dst += src (same size). */
    void add(Tensor src, Tensor dst);

    /** out = a * b, elementwise (same size); out may be a or b. */
    void mul(Tensor a, Tensor b, Tensor out);

    // ---- linear algebra ----

    /**
     * Row-major SGEMM: C[m,n] = alpha * op(A)[m,k] . op(B)[k,n] + beta * C, where op(A) is A or its
     * transpose ({@code transA}: A is stored [k,m]) and likewise for B ({@code transB}: B is [n,k]).
     * With beta = 1 it accumulates; with beta = 0, C's old contents are ignored (even NaN).
     */
    void gemm(
            boolean transA, boolean transB, int m, int n, int k, float alpha, Tensor a, Tensor b, float beta, Tensor c);

    /** y[n, c, ...] += bias[c]: a per-channel bias along axis 1 of [N, C, H, W] or [N, F]. */
    void biasAdd(Tensor y, Tensor bias);

    /** dbias[c] += sum of dy over every axis but 1. Accumulates. */
    void biasBackward(Tensor dy, Tensor dbias);

    // ---- activations ----

    /** y = max(x, 0); y may be x. */
    void reluForward(Tensor x, Tensor y);

    /** dx = dy where y &gt; 0, else 0; uses the forward output y. dx may be dy. */
    void reluBackward(Tensor y, Tensor dy, Tensor dx);

    /** Softmax over axis 1 of [N, F], max-subtracted for stability. */
    void softmaxForward(Tensor x, Tensor y);

    /** dx = y * (dy - sum_j dy_j y_j), per row of [N, F]. */
    void softmaxBackward(Tensor y, Tensor dy, Tensor dx);

    // ---- convolution ----

    /**
     * x [N, C, H, W], w [K, C, kh, kw], bias [K] or null -> y [N, K, outH, outW] (cross-correlation
     * as every deep-learning framework computes it), then ReLU when {@code relu} is set.
     */
    void conv2dForward(Tensor x, Tensor w, Tensor bias, Tensor y, ConvSpec spec, boolean relu);

    /** dy [N, K, outH, outW], w [K, C, kh, kw] -> dx [N, C, H, W] (overwritten). */
    void conv2dBackwardData(Tensor dy, Tensor w, Tensor dx, ConvSpec spec);

    /** x [N, C, H, W], dy [N, K, outH, outW] -> dw [K, C, kh, kw]. Accumulates. */
    void conv2dBackwardFilter(Tensor x, Tensor dy, Tensor dw, ConvSpec spec);

    // ---- pooling ----

    /** x [N, C, H, W] -> y [N, C, outH, outW], the max of each window. */
    void maxPoolForward(Tensor x, Tensor y, PoolSpec spec);

    /**
     * Whether {@link #conv2dMaxPoolForward} computes a convolution of input shape {@code x} and
     * kernel shape {@code w} followed by this max pool in one pass. Backends that do not fuse the
     * pair say no, and callers run the two ops.
     */
    default boolean fusesConvMaxPool(Shape x, Shape w, ConvSpec conv, PoolSpec pool) {
        return false;
    }

    /**
     * y = the max pool of (the convolution of x, + bias, then ReLU when {@code relu} is set), the
     * same values as {@link #conv2dForward} then {@link #maxPoolForward}, without writing the
     * convolution's output anywhere. Only where {@link #fusesConvMaxPool} says so; nothing of it is
     * kept for a backward pass.
     */
    default void conv2dMaxPoolForward(
            Tensor x, Tensor w, Tensor bias, Tensor y, ConvSpec conv, boolean relu, PoolSpec pool) {
        throw new UnsupportedOperationException(name() + " does not fuse a convolution with a max pool");
    }

    /**
     * dx (overwritten) gets each window's dy at the position of the window's maximum in x; with ties
     * the first maximum in row-major order within the window takes it all, as TensorFlow does.
     */
    void maxPoolBackward(Tensor x, Tensor y, Tensor dy, Tensor dx, PoolSpec spec);

    /** x [N, C, H, W] -> y [N, C, outH, outW], the mean of each window. */
    void avgPoolForward(Tensor x, Tensor y, PoolSpec spec);

    /** dx (overwritten) gets dy / (poolH * poolW) at every position of each window. */
    void avgPoolBackward(Tensor dy, Tensor dx, PoolSpec spec);

    // ---- losses (on probabilities, [N, F]) ----

    /**
     * Binary cross-entropy on probabilities as tf.keras 2.x computed it: p clipped to
     * [eps, 1 - eps], -(y log p + (1-y) log(1-p)) averaged over the F outputs, then over the batch.
     * Writes dL/dp into {@code dp} when it is not null (zero where the clip is active).
     *
     * @return the mean loss
     */
    float binaryCrossEntropy(Tensor p, Tensor target, Tensor dp, float eps);

    /**
     * Categorical cross-entropy on probabilities: -sum_i y_i log clip(p_i, eps, 1 - eps) per row,
     * averaged over the batch. Writes dL/dp into {@code dp} when it is not null.
     *
     * @return the mean loss
     */
    float categoricalCrossEntropy(Tensor p, Tensor target, Tensor dp, float eps);

    // ---- optimizer ----

    /**
     * One Adam update in Keras's form, elementwise over w, g, m, v:
     * {@code m += (g - m)(1 - beta1); v += (g^2 - v)(1 - beta2); w -= m alpha / (sqrt(v) + epsilon)},
     * where alpha already holds the learning rate and both bias corrections.
     */
    void adamStep(Tensor w, Tensor g, Tensor m, Tensor v, float alpha, float beta1, float beta2, float epsilon);

    /**
     * Ends the backend: releases its threads, handles, workspaces and caches, and the memory of every
     * tensor it handed out that is still open. Device memory is freed here (the CUDA backend); the
     * CPU backends' arrays are left to the garbage collector. Either way the backend's tensors must
     * not be used afterwards (a GPU tensor says so in its error); closing them later is harmless.
     */
    @Override
    default void close() {}
}
