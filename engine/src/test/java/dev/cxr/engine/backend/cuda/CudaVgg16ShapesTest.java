package dev.cxr.engine.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cxr.engine.backend.ConvGeometry;
import dev.cxr.engine.backend.ConvSpec;
import dev.cxr.engine.tensor.Shape;
import dev.cxr.engine.tensor.Tensor;
import dev.cxr.engine.testing.Compare;
import dev.cxr.engine.testing.Data;
import dev.cxr.engine.testing.Tolerances;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * VGG16's real layer shapes at batch 2 on the GPU: every distinct convolution (forward with bias and
 * ReLU, backward data, backward filter) against the reference formulas in double at sampled positions
 * ({@link SampledConv}; the full reference would take minutes per layer). The backend-ops harness
 * checks the forward pass and the pooling at these shapes against the reference backend itself, for
 * every backend; this test adds the backward passes at batch 2. Skipped without a GPU.
 */
class CudaVgg16ShapesTest {
    private static final int BATCH = 2;
    /** Output and input positions sampled per layer; kernel positions for the filter gradient. */
    private static final int SAMPLES = 400;

    private static final int FILTER_SAMPLES = 48;
    /** The distinct (in, out, size) of VGG16's 13 convolutions (some repeat). */
    private static final int[][] CONVS = {
        {3, 64, 224},
        {64, 64, 224},
        {64, 128, 112},
        {128, 128, 112},
        {128, 256, 56},
        {256, 256, 56},
        {256, 512, 28},
        {512, 512, 28},
        {512, 512, 14},
    };

    private static CudaBackend gpu;

    @BeforeAll
    static void open() {
        gpu = CudaTesting.openIfUsable("CudaVgg16ShapesTest");
    }

    @BeforeEach
    void gpuPresent() {
        CudaTesting.assumeGpu(gpu);
    }

    @AfterAll
    static void close() {
        CudaTesting.printPlans("CudaVgg16ShapesTest", gpu);
        if (gpu != null) {
            gpu.close();
        }
    }

    @Test
    void everyConvolutionShapeAtBatch2() {
        long seed = 500;
        for (int[] layer : CONVS) {
            int in = layer[0];
            int out = layer[1];
            int size = layer[2];
            Shape xs = Shape.of(BATCH, in, size, size);
            Shape ws = Shape.of(out, in, 3, 3);
            ConvSpec s = ConvSpec.same(3, 3, 1, 1, size, size);
            ConvGeometry g = ConvGeometry.of(xs, ws, s);
            float[] x = Data.uniform(xs.size(), 1f, seed++);
            float[] w = Data.uniform(ws.size(), (float) Math.sqrt(6.0 / (9 * in)), seed++);
            float[] b = Data.uniform(out, 0.05f, seed++);
            float[] dy = Data.uniform(g.outputShape().size(), 1f, seed++);
            float[] dw0 = Data.uniform(ws.size(), 0.01f, seed++);
            String name = String.format(Locale.ROOT, "conv %d->%d at %dx%d", in, out, size, size);
            try (Tensor tx = gpu.upload(xs, x);
                    Tensor tw = gpu.upload(ws, w);
                    Tensor tb = gpu.upload(Shape.of(out), b);
                    Tensor ty = gpu.zeros(g.outputShape());
                    Tensor tdy = gpu.upload(g.outputShape(), dy);
                    Tensor tdx = gpu.zeros(xs);
                    Tensor tdw = gpu.upload(ws, dw0)) {
                gpu.conv2dForward(tx, tw, tb, ty, s, true);
                gpu.conv2dBackwardData(tdy, tw, tdx, s);
                gpu.conv2dBackwardFilter(tx, tdy, tdw, s);
                float[] y = gpu.download(ty);
                float[] dx = gpu.download(tdx);
                float[] dw = gpu.download(tdw);

                int[] ys = SampledConv.sample(y.length, SAMPLES, seed++);
                double[] yRef = new double[ys.length];
                for (int i = 0; i < ys.length; i++) {
                    yRef[i] = SampledConv.forward(g, s, x, w, b, true, ys[i]);
                }
                check(name + " forward +bias +relu", ys, yRef, y);

                int[] xsIdx = SampledConv.sample(dx.length, SAMPLES, seed++);
                double[] dxRef = new double[xsIdx.length];
                for (int i = 0; i < xsIdx.length; i++) {
                    dxRef[i] = SampledConv.backwardData(g, s, dy, w, xsIdx[i]);
                }
                check(name + " backward data", xsIdx, dxRef, dx);

                int[] wsIdx = SampledConv.sample(dw.length, FILTER_SAMPLES, seed++);
                double[] dwRef = new double[wsIdx.length];
                for (int i = 0; i < wsIdx.length; i++) {
                    dwRef[i] = dw0[wsIdx[i]] + SampledConv.backwardFilter(g, s, x, dy, wsIdx[i]);
                }
                check(name + " backward filter (accumulating)", wsIdx, dwRef, dw);
            }
        }
    }

    /** The sampled values of {@code actual} against the double sums, rounded to float (a 6e-8 change, far below the tolerance). */
    private static void check(String what, int[] at, double[] expected, float[] actual) {
        float[] want = new float[at.length];
        float[] got = new float[at.length];
        for (int i = 0; i < at.length; i++) {
            want[i] = (float) expected[i];
            got[i] = actual[at[i]];
        }
        assertTrue(Data.maxAbs(want) > 1e-6, what + ": the sampled reference is all zero");
        double err = Compare.assertWithin(what, want, got, Tolerances.CUDA_VGG16_SAMPLED);
        System.out.printf(
                Locale.ROOT,
                "  %-56s error %.2e of the max over %d samples (tolerance %s)%n",
                what,
                err,
                at.length,
                Tolerances.CUDA_VGG16_SAMPLED.ofMax());
    }
}
