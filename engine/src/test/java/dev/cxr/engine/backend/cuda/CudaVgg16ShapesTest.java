package dev.cxr.engine.backend.cuda;

import static dev.cxr.engine.backend.cuda.CudaTesting.assertBitExact;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cxr.engine.backend.ConvGeometry;
import dev.cxr.engine.backend.ConvSpec;
import dev.cxr.engine.backend.PoolSpec;
import dev.cxr.engine.backend.cpu.ReferenceBackend;
import dev.cxr.engine.tensor.Shape;
import dev.cxr.engine.tensor.Tensor;
import dev.cxr.engine.testing.Data;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * VGG16's real layer shapes at batch 2 on the GPU: every distinct convolution (forward with bias and
 * ReLU, backward data, backward filter) against the reference formulas in double at sampled positions
 * ({@link SampledConv}; the full reference would take minutes per layer), and every pooling against
 * the reference backend in full. Skipped without a GPU.
 */
class CudaVgg16ShapesTest {
    /**
     * Sampled convolution outputs against double sums: forward sums 27 to 4608 products, backward
     * filter up to 2*224*224 = 100352; float32 accumulation in cuDNN's blocked order (or an FFT or
     * Winograd algorithm) stays within ~1e-5 of the largest value; 1e-4 leaves room and still catches
     * any indexing or padding error, which moves values by their own size.
     */
    private static final double CONV_TOL_OF_MAX = 1e-4;
    private static final int BATCH = 2;
    /** Output and input positions sampled per layer; kernel positions for the filter gradient. */
    private static final int SAMPLES = 400;
    private static final int FILTER_SAMPLES = 48;
    /** The distinct (in, out, size) of VGG16's 13 convolutions (some repeat). */
    private static final int[][] CONVS = {
        {3, 64, 224}, {64, 64, 224}, {64, 128, 112}, {128, 128, 112}, {128, 256, 56}, {256, 256, 56},
        {256, 512, 28}, {512, 512, 28}, {512, 512, 14},
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
            try (Tensor tx = gpu.upload(xs, x); Tensor tw = gpu.upload(ws, w); Tensor tb = gpu.upload(Shape.of(out), b);
                 Tensor ty = gpu.zeros(g.outputShape()); Tensor tdy = gpu.upload(g.outputShape(), dy);
                 Tensor tdx = gpu.zeros(xs); Tensor tdw = gpu.upload(ws, dw0)) {
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

    private static void check(String what, int[] at, double[] expected, float[] actual) {
        double scale = 1e-30;
        double diff = 0;
        for (int i = 0; i < at.length; i++) {
            scale = Math.max(scale, Math.abs(expected[i]));
            diff = Math.max(diff, Math.abs(expected[i] - actual[at[i]]));
        }
        double err = diff / scale;
        System.out.printf(Locale.ROOT, "  %-56s max|diff|/max|ref| = %.2e over %d samples (tolerance %.0e)%n",
                what, err, at.length, CONV_TOL_OF_MAX);
        assertTrue(scale > 1e-6, what + ": the sampled reference is all zero");
        assertTrue(err <= CONV_TOL_OF_MAX, what + ": max|diff|/max|ref| = " + err);
    }

    @Test
    void everyPoolingShapeAtBatch2IsBitExact() {
        ReferenceBackend ref = new ReferenceBackend();
        PoolSpec p = PoolSpec.of(2, 2);
        long seed = 900;
        for (int[] shape : new int[][] {{64, 224}, {128, 112}, {256, 56}, {512, 28}, {512, 14}}) {
            Shape xs = Shape.of(BATCH, shape[0], shape[1], shape[1]);
            Shape ys = Shape.of(BATCH, shape[0], shape[1] / 2, shape[1] / 2);
            float[] x = Data.distinct(xs.size(), 1e-3f, seed++);
            float[] dy = Data.uniform(ys.size(), 1f, seed++);
            try (Tensor cx = ref.upload(xs, x); Tensor cy = ref.zeros(ys); Tensor cdy = ref.upload(ys, dy); Tensor cdx = ref.zeros(xs);
                 Tensor gx = gpu.upload(xs, x); Tensor gy = gpu.zeros(ys); Tensor gdy = gpu.upload(ys, dy); Tensor gdx = gpu.zeros(xs)) {
                ref.maxPoolForward(cx, cy, p);
                gpu.maxPoolForward(gx, gy, p);
                assertBitExact("max pool forward " + xs, ref.download(cy), gpu.download(gy));
                ref.maxPoolBackward(cx, cy, cdy, cdx, p);
                gpu.maxPoolBackward(gx, gy, gdy, gdx, p);
                assertBitExact("max pool backward " + xs, ref.download(cdx), gpu.download(gdx));
            }
        }
    }
}
