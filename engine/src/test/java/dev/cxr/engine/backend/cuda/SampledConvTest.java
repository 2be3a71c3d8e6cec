package dev.cxr.engine.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cxr.engine.backend.ConvGeometry;
import dev.cxr.engine.backend.ConvSpec;
import dev.cxr.engine.backend.cpu.ReferenceBackend;
import dev.cxr.engine.tensor.Shape;
import dev.cxr.engine.tensor.Tensor;
import dev.cxr.engine.testing.Data;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The sampled oracle of the GPU's VGG16-shape tests agrees with the reference backend (no GPU needed). */
class SampledConvTest {
    /** Double sums against the reference's float sums of at most 3*3*4 = 36 (or N*OH*OW = 2*8*8) terms. */
    private static final double TOL_OF_MAX = 1e-5;

    @Test
    void sampledFormulasMatchTheReferenceBackendEverywhere() {
        ReferenceBackend ref = new ReferenceBackend();
        for (ConvSpec s : List.of(
                ConvSpec.same(3, 3, 1, 1, 8, 7),
                ConvSpec.same(3, 3, 2, 2, 8, 7),
                ConvSpec.valid(2, 2, 2, 1),
                ConvSpec.same(2, 2, 1, 1, 8, 7))) {
            Shape xs = Shape.of(2, 4, 8, 7);
            Shape ws = Shape.of(3, 4, s.kernelH(), s.kernelW());
            ConvGeometry g = ConvGeometry.of(xs, ws, s);
            float[] x = Data.uniform(xs.size(), 1f, 1);
            float[] w = Data.uniform(ws.size(), 1f, 2);
            float[] b = Data.uniform(3, 1f, 3);
            float[] dy = Data.uniform(g.outputShape().size(), 1f, 4);
            try (Tensor tx = ref.upload(xs, x);
                    Tensor tw = ref.upload(ws, w);
                    Tensor tb = ref.upload(Shape.of(3), b);
                    Tensor ty = ref.zeros(g.outputShape());
                    Tensor tdy = ref.upload(g.outputShape(), dy);
                    Tensor tdx = ref.zeros(xs);
                    Tensor tdw = ref.zeros(ws)) {
                ref.conv2dForward(tx, tw, tb, ty, s, true);
                ref.conv2dBackwardData(tdy, tw, tdx, s);
                ref.conv2dBackwardFilter(tx, tdy, tdw, s);
                float[] y = ref.download(ty);
                float[] dx = ref.download(tdx);
                float[] dw = ref.download(tdw);
                for (int i = 0; i < y.length; i++) {
                    check("forward " + s + " at " + i, y[i], SampledConv.forward(g, s, x, w, b, true, i), y);
                }
                for (int i = 0; i < dx.length; i++) {
                    check("backward data " + s + " at " + i, dx[i], SampledConv.backwardData(g, s, dy, w, i), dx);
                }
                for (int i = 0; i < dw.length; i++) {
                    check("backward filter " + s + " at " + i, dw[i], SampledConv.backwardFilter(g, s, x, dy, i), dw);
                }
            }
        }
    }

    private static void check(String what, float expected, double sampled, float[] all) {
        double scale = Data.maxAbs(all);
        assertTrue(scale > 0, "all-zero output: " + what);
        assertTrue(
                Math.abs(expected - sampled) <= TOL_OF_MAX * scale,
                what + ": reference " + expected + ", sampled " + sampled);
    }
}
