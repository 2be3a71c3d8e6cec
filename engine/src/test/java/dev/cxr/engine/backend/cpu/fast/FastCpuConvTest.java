package dev.cxr.engine.backend.cpu.fast;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cxr.engine.backend.Backend;
import dev.cxr.engine.backend.ConvGeometry;
import dev.cxr.engine.backend.ConvSpec;
import dev.cxr.engine.backend.cpu.ReferenceBackend;
import dev.cxr.engine.tensor.Shape;
import dev.cxr.engine.testing.Data;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Convolution of the fast backend, each algorithm, against the reference backend on seeded random
 * data. Errors are measured relative to the largest magnitude of the reference's output.
 */
class FastCpuConvTest {
    /**
     * im2col GEMM: the reference's products, summed with fused multiply-adds in another order.
     * Observed up to 5e-7 (sums of up to 4608 products of uniform data); 4x margin.
     */
    static final double DIRECT_TOLERANCE = 2e-6;
    /** Winograd F(2x2,3x3): a few more roundings per value in the transforms. Observed up to 2.5e-6 (C = 512). */
    static final double F2_TOLERANCE = 1e-5;
    /**
     * Winograd F(4x4,3x3): transform coefficients up to 8 and 1/24 cost about 3 bits. Observed up to
     * 1.6e-5 on VGG16's shapes with synthetic data (3e-6 with the real activations of an X-ray).
     */
    static final double F4_TOLERANCE = 5e-5;
    /**
     * Backward passes: im2col GEMM like the forward, but dx sums cancel more (its largest value is
     * smaller relative to the terms). Observed up to 1.1e-6.
     */
    static final double BACKWARD_TOLERANCE = 5e-6;

    private static final Backend REF = new ReferenceBackend();
    private static final FastCpuBackend DEFAULT = new FastCpuBackend(2);
    private static final FastCpuBackend IM2COL = new FastCpuBackend(2, (g, s) -> null);
    private static final FastCpuBackend F2 = new FastCpuBackend(2, (g, s) -> WinogradConv.applies(s) ? Winograd.F2 : null);
    private static final FastCpuBackend F4 = new FastCpuBackend(2, (g, s) -> WinogradConv.applies(s) ? Winograd.F4 : null);

    @AfterAll
    static void close() {
        DEFAULT.close();
        IM2COL.close();
        F2.close();
        F4.close();
    }

    /** Runs one convolution on the reference and on {@code fast}; returns the relative error. */
    private static double forwardError(FastCpuBackend fast, int n, int c, int h, int w, int k, ConvSpec s,
                                       boolean bias, boolean relu, long seed) {
        Shape xs = Shape.of(n, c, h, w);
        Shape ws = Shape.of(k, c, s.kernelH(), s.kernelW());
        float[] x = Data.uniform(xs.size(), 1f, seed);
        float[] wt = Data.uniform(ws.size(), 1f, seed + 1);
        float[] b = bias ? Data.uniform(k, 1f, seed + 2) : null;
        float[] ref = Oracle.conv(REF, xs, x, ws, wt, b, s, relu);
        float[] got = Oracle.conv(fast, xs, x, ws, wt, b, s, relu);
        return Oracle.relativeToMax(got, ref);
    }

    private static void assertWithin(double tolerance, double error, String what) {
        assertTrue(error <= tolerance, what + ": error " + error + " of the output's max exceeds " + tolerance);
    }

    @Test
    void im2colMatchesReferenceOnAssortedGeometries() {
        // stride 2, even kernel with TF's asymmetric 'same', 1x1 with a reduction longer than one packed step,
        // valid padding, odd sizes, no bias, no ReLU
        assertWithin(DIRECT_TOLERANCE, forwardError(IM2COL, 2, 5, 9, 11, 7, ConvSpec.same(3, 3, 2, 2, 9, 11), true, true, 1), "3x3 stride 2");
        assertWithin(DIRECT_TOLERANCE, forwardError(IM2COL, 2, 5, 9, 11, 7, ConvSpec.same(4, 4, 2, 1, 9, 11), true, false, 2), "4x4 same, stride 2x1");
        assertWithin(DIRECT_TOLERANCE, forwardError(IM2COL, 2, 300, 5, 6, 9, ConvSpec.valid(1, 1, 1, 1), false, false, 3), "1x1, C 300");
        assertWithin(DIRECT_TOLERANCE, forwardError(IM2COL, 1, 3, 17, 13, 10, ConvSpec.valid(5, 5, 1, 1), true, true, 4), "5x5 valid");
        assertWithin(DIRECT_TOLERANCE, forwardError(IM2COL, 3, 3, 15, 15, 64, ConvSpec.same(3, 3, 1, 1, 15, 15), true, true, 5), "VGG first layer shape, small");
    }

    @Test
    void winogradMatchesReferenceOnAssortedGeometries() {
        for (FastCpuBackend f : new FastCpuBackend[] {F2, F4}) {
            double tol = f == F2 ? F2_TOLERANCE : F4_TOLERANCE;
            String name = f == F2 ? "F(2x2) " : "F(4x4) ";
            // odd sizes (partial tiles at the bottom and right), batch 2, channels not multiples of 8
            assertWithin(tol, forwardError(f, 2, 5, 9, 11, 7, ConvSpec.same(3, 3, 1, 1, 9, 11), true, true, 11), name + "9x11");
            // valid padding, no bias, no ReLU
            assertWithin(tol, forwardError(f, 1, 3, 17, 13, 10, ConvSpec.valid(3, 3, 1, 1), false, false, 12), name + "valid");
            // asymmetric padding
            assertWithin(tol, forwardError(f, 1, 4, 12, 10, 9, new ConvSpec(3, 3, 1, 1, 2, 0, 0, 1), true, false, 13), name + "pad 2,0,0,1");
            // rows wider than 16 tiles, blocks that start mid-row, many channels
            assertWithin(tol, forwardError(f, 2, 24, 70, 37, 40, ConvSpec.same(3, 3, 1, 1, 70, 37), true, true, 14), name + "70x37");
            // transformed kernels too large for the fused schedule: the grouped one
            assertWithin(tol, forwardError(f, 2, 192, 14, 14, 200, ConvSpec.same(3, 3, 1, 1, 14, 14), true, true, 15), name + "grouped");
        }
    }

    @Test
    void defaultPolicyUsesWinogradWhereChannelsPayForIt() {
        ConvSpec same = ConvSpec.same(3, 3, 1, 1, 224, 224);
        assertNull(DEFAULT.algorithm(ConvGeometry.of(Shape.of(1, 3, 224, 224), Shape.of(64, 3, 3, 3), same), same));
        assertSame(Winograd.F4, DEFAULT.algorithm(ConvGeometry.of(Shape.of(1, 64, 224, 224), Shape.of(64, 64, 3, 3), same), same));
        ConvSpec block5 = ConvSpec.same(3, 3, 1, 1, 14, 14);
        assertSame(Winograd.F2, DEFAULT.algorithm(ConvGeometry.of(Shape.of(1, 512, 14, 14), Shape.of(512, 512, 3, 3), block5), block5));
        ConvSpec strided = ConvSpec.same(3, 3, 2, 2, 224, 224);
        assertNull(DEFAULT.algorithm(ConvGeometry.of(Shape.of(1, 64, 224, 224), Shape.of(64, 64, 3, 3), strided), strided));
    }

    /** VGG16's 13 convolutions: input channels, output channels, image side. */
    static final int[][] VGG16_CONVS = {
        {3, 64, 224}, {64, 64, 224},
        {64, 128, 112}, {128, 128, 112},
        {128, 256, 56}, {256, 256, 56}, {256, 256, 56},
        {256, 512, 28}, {512, 512, 28}, {512, 512, 28},
        {512, 512, 14}, {512, 512, 14}, {512, 512, 14},
    };

    /**
     * Every VGG16 convolution at its real shape, batch 1, on the default backend. The fast backend
     * computes all output channels; the reference computes 16 of them spread over the range (all of
     * them would take minutes), and those 16 are compared.
     */
    @Test
    void vgg16LayersMatchReference() {
        for (int i = 0; i < VGG16_CONVS.length; i++) {
            int c = VGG16_CONVS[i][0];
            int k = VGG16_CONVS[i][1];
            int side = VGG16_CONVS[i][2];
            ConvSpec s = ConvSpec.same(3, 3, 1, 1, side, side);
            Shape xs = Shape.of(1, c, side, side);
            // activations after ReLU are non-negative; Glorot-sized uniform weights
            float[] x = Data.uniform(xs.size(), 0.5f, 100 + i);
            for (int j = 0; j < x.length; j++) {
                x[j] += 0.5f;
            }
            float limit = (float) Math.sqrt(6.0 / (9 * (c + k)));
            float[] w = Data.uniform(k * c * 9, limit, 200 + i);
            float[] b = Data.uniform(k, 0.05f, 300 + i);
            float[] fast = Oracle.conv(DEFAULT, xs, x, Shape.of(k, c, 3, 3), w, b, s, true);
            int[] picked = new int[16];
            for (int j = 0; j < 16; j++) {
                picked[j] = j == 15 ? k - 1 : j * (k / 16) + j % 3;
            }
            float[] wSlice = new float[16 * c * 9];
            float[] bSlice = new float[16];
            for (int j = 0; j < 16; j++) {
                System.arraycopy(w, picked[j] * c * 9, wSlice, j * c * 9, c * 9);
                bSlice[j] = b[picked[j]];
            }
            float[] ref = Oracle.conv(REF, xs, x, Shape.of(16, c, 3, 3), wSlice, bSlice, s, true);
            float[] fastSlice = new float[ref.length];
            int plane = side * side;
            for (int j = 0; j < 16; j++) {
                System.arraycopy(fast, picked[j] * plane, fastSlice, j * plane, plane);
            }
            Winograd algorithm = DEFAULT.algorithm(ConvGeometry.of(xs, Shape.of(k, c, 3, 3), s), s);
            double tol = algorithm == null ? DIRECT_TOLERANCE : algorithm == Winograd.F2 ? F2_TOLERANCE : F4_TOLERANCE;
            assertWithin(tol, Oracle.relativeToMax(fastSlice, ref), "VGG16 conv " + (i + 1) + " " + c + "->" + k + " at " + side);
        }
    }

    @Test
    void backwardDataMatchesReference() {
        // {n, c, h, w, k, kernel, stride, same padding?}
        int[][] cases = {
            {2, 8, 9, 11, 16, 3, 1, 1},
            {2, 5, 10, 9, 7, 5, 2, 1},
            {1, 40, 6, 7, 9, 1, 1, 0},
            {2, 64, 14, 14, 64, 3, 1, 1},
            {1, 3, 32, 32, 64, 3, 1, 1},
        };
        for (int[] cs : cases) {
            ConvSpec s = cs[7] == 1 ? ConvSpec.same(cs[5], cs[5], cs[6], cs[6], cs[2], cs[3]) : ConvSpec.valid(cs[5], cs[5], cs[6], cs[6]);
            Shape xs = Shape.of(cs[0], cs[1], cs[2], cs[3]);
            Shape ws = Shape.of(cs[4], cs[1], cs[5], cs[5]);
            float[] w = Data.uniform(ws.size(), 1f, cs[1] * 31L);
            float[] dy = Data.uniform(cs[0] * cs[4] * s.outH(cs[2]) * s.outW(cs[3]), 1f, cs[2] * 17L);
            float[] ref = Oracle.convBackwardData(REF, xs, ws, w, dy, s);
            float[] got = Oracle.convBackwardData(DEFAULT, xs, ws, w, dy, s);
            assertWithin(BACKWARD_TOLERANCE, Oracle.relativeToMax(got, ref), "backward data " + java.util.Arrays.toString(cs));
        }
    }

    @Test
    void backwardFilterMatchesReferenceAndAccumulates() {
        int[][] cases = {
            {2, 8, 9, 11, 16, 3, 1, 1},
            {2, 5, 10, 9, 7, 5, 2, 1},
            {1, 40, 6, 7, 9, 1, 1, 0},
            {2, 64, 14, 14, 72, 3, 1, 1},
            {1, 3, 32, 32, 64, 3, 1, 1},
        };
        for (int[] cs : cases) {
            ConvSpec s = cs[7] == 1 ? ConvSpec.same(cs[5], cs[5], cs[6], cs[6], cs[2], cs[3]) : ConvSpec.valid(cs[5], cs[5], cs[6], cs[6]);
            Shape xs = Shape.of(cs[0], cs[1], cs[2], cs[3]);
            Shape ws = Shape.of(cs[4], cs[1], cs[5], cs[5]);
            float[] x = Data.uniform(xs.size(), 1f, cs[1] * 13L);
            float[] dy = Data.uniform(cs[0] * cs[4] * s.outH(cs[2]) * s.outW(cs[3]), 1f, cs[2] * 19L);
            // the op adds into what is there: start from a non-zero gradient
            float[] dw0 = Data.uniform(ws.size(), 1f, cs[4] * 23L);
            float[] ref = Oracle.convBackwardFilter(REF, xs, x, ws, dw0, dy, s);
            float[] got = Oracle.convBackwardFilter(DEFAULT, xs, x, ws, dw0, dy, s);
            assertWithin(BACKWARD_TOLERANCE, Oracle.relativeToMax(got, ref), "backward filter " + java.util.Arrays.toString(cs));
        }
    }
}
