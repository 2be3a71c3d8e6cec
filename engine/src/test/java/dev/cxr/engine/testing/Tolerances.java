package dev.cxr.engine.testing;

import dev.cxr.engine.testing.Compare.Tolerance;

/**
 * Every tolerance the backend comparisons use, in one place, each with the reason for its size.
 * Errors are max |actual - reference| / max |reference| over the tensor (see {@link Compare}).
 */
public final class Tolerances {
    private Tolerances() {}

    // ---- fast CPU backend ----

    /** im2col GEMM: the reference's products, summed with fused multiply-adds in another order. */
    public static final Tolerance CPU_IM2COL = new Tolerance(
            "cpu im2col",
            1e-5,
            "FMA sums in another order; seen up to 5e-7 on signed data, 2e-6 on VGG16's shapes with non-negative inputs");
    /** Winograd F(2x2, 3x3): a few more roundings per value in the transforms. */
    public static final Tolerance CPU_F2 =
            new Tolerance("cpu Winograd F(2x2)", 1e-5, "rounding in the transforms; seen up to 2.5e-6 at C = 512");
    /** Winograd F(4x4, 3x3): transform coefficients up to 8 and 1/24 cost about 3 bits. */
    public static final Tolerance CPU_F4 = new Tolerance(
            "cpu Winograd F(4x4)",
            5e-5,
            "transform coefficients up to 8 and 1/24; seen up to 2.4e-5 on VGG16's shapes with synthetic data");
    /** Backward convolutions (im2col GEMM): dx sums cancel more than the forward's. */
    public static final Tolerance CPU_CONV_BACKWARD = new Tolerance(
            "cpu conv backward", 5e-6, "FMA sums in another order, with more cancellation; seen up to 1.1e-6");
    /** GEMM: blocked FMA sums. */
    public static final Tolerance CPU_GEMM =
            new Tolerance("cpu gemm", 3e-6, "FMA sums in KC-deep steps; seen up to 8e-7 at k = 600");

    // ---- CUDA backend ----

    /** cuDNN's convolutions (its own algorithm per shape: implicit GEMM, Winograd or FFT). */
    public static final Tolerance CUDA_CONV = new Tolerance(
            "cuda conv",
            5e-5,
            "cuDNN's summation order and algorithm (Winograd or FFT on some shapes); seen up to 1e-5");
    /** The own GEMM kernel or cuBLAS: dot products in another order. */
    public static final Tolerance CUDA_GEMM =
            new Tolerance("cuda gemm", 2e-5, "dot products of up to 600 terms in tile order");
    /** cuDNN's softmax: its exp against Java's. */
    public static final Tolerance CUDA_SOFTMAX = new Tolerance("cuda softmax", 1e-6, "a few ulps of exp");
    /** cuDNN's average pooling may multiply by 1/count where the reference divides. */
    public static final Tolerance CUDA_AVG_POOL = new Tolerance("cuda average pool", 1e-6, "1/count against division");
    /** Bias gradients: float sums over n and positions in cuDNN's order. */
    public static final Tolerance CUDA_BIAS_GRAD =
            new Tolerance("cuda bias gradient", 1e-5, "sums of up to a few hundred terms in another order");
    /** The loss values: both sum in double; the float mean may differ in its last bits. */
    public static final Tolerance CUDA_LOSS = new Tolerance("cuda loss value", 1e-6, "the last bits of a float mean");
    /**
     * VGG16's real convolution shapes at batch 2 against double sums at sampled positions
     * (CudaVgg16ShapesTest): sums of 27 to 4608 products forward and up to 2 * 224 * 224 for the
     * filter gradient, in cuDNN's blocked order or by FFT or Winograd.
     */
    public static final Tolerance CUDA_VGG16_SAMPLED = new Tolerance(
            "cuda VGG16 shapes, sampled",
            1e-4,
            "float32 sums of up to 100,352 terms, seen within about 1e-5; an indexing or padding error moves values by their own size");
}
