package dev.cxr.engine.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.cxr.engine.backend.Backend;
import dev.cxr.engine.backend.cpu.ReferenceBackend;
import dev.cxr.engine.tensor.Shape;
import dev.cxr.engine.tensor.Tensor;
import dev.cxr.engine.testing.Data;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Central-difference checks of dL/dp for both losses, at probabilities inside the clip range. */
class LossGradientTest {
    private final Backend backend = new ReferenceBackend();

    /** p in [0.05, 0.95]: inside the clip, and far enough from 0 and 1 that log stays smooth at step 1e-4. */
    private static float[] probabilities(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] p = new float[n];
        for (int i = 0; i < n; i++) {
            p[i] = (float) (0.05 + 0.9 * r.nextDouble());
        }
        return p;
    }

    private void check(Loss loss, float[] targets) {
        Shape shape = Shape.of(3, 2);
        float[] p = probabilities(shape.size(), 41);
        float[] analytic;
        try (Tensor tp = backend.upload(shape, p);
                Tensor ty = backend.upload(shape, targets)) {
            loss.forward(tp, ty);
            analytic = backend.download(loss.backward());
        }
        double step = 1e-3;
        for (int i = 0; i < p.length; i++) {
            float[] plus = p.clone();
            float[] minus = p.clone();
            plus[i] += (float) step;
            minus[i] -= (float) step;
            double h = (plus[i] - minus[i]); // the step actually taken in float32
            double numeric = (eval(loss, shape, plus, targets) - eval(loss, shape, minus, targets)) / h;
            // float32 loss values (about 6e-8 relative) over a 2e-3 step: about 1e-4 absolute noise
            if (Math.abs(numeric - analytic[i]) > 2e-4 + 1e-2 * Math.abs(numeric)) {
                fail("dL/dp[" + i + "] analytic " + analytic[i] + " numeric " + numeric);
            }
        }
    }

    private double eval(Loss loss, Shape shape, float[] p, float[] y) {
        try (Tensor tp = backend.upload(shape, p);
                Tensor ty = backend.upload(shape, y)) {
            return loss.evaluate(tp, ty);
        }
    }

    @Test
    void binaryCrossEntropyOneHot() {
        check(new BinaryCrossEntropy(backend), new float[] {1, 0, 0, 1, 1, 0});
    }

    @Test
    void binaryCrossEntropySoftTargets() {
        check(new BinaryCrossEntropy(backend), new float[] {0.7f, 0.3f, 0.2f, 0.8f, 0.5f, 0.5f});
    }

    @Test
    void categoricalCrossEntropy() {
        check(new CategoricalCrossEntropy(backend), new float[] {1, 0, 0, 1, 1, 0});
    }

    @Test
    void lossesAgreeForOneHotSoftmaxOutputs() {
        // for 2 classes, one-hot targets and rows summing to 1, both give -log p_true
        Shape shape = Shape.of(3, 2);
        float[] p = {0.9f, 0.1f, 0.25f, 0.75f, 0.6f, 0.4f};
        float[] y = {1, 0, 0, 1, 0, 1};
        double expected = -(Math.log(0.9) + Math.log(0.75) + Math.log(0.4)) / 3;
        try (Tensor tp = backend.upload(shape, p);
                Tensor ty = backend.upload(shape, y)) {
            assertEquals(expected, new BinaryCrossEntropy(backend).evaluate(tp, ty), 1e-6);
            assertEquals(expected, new CategoricalCrossEntropy(backend).evaluate(tp, ty), 1e-6);
        }
    }

    @Test
    void clipLimits() {
        // p = 0 for the true class: the loss is -log(1e-7) averaged over 2 outputs and 1 row... and the
        // other output is p = 1, clipped to 1 - 1e-7 (float32: 0.99999988), also contributing -log(1e-7)-ish
        Shape shape = Shape.of(1, 2);
        float[] p = {0f, 1f};
        float[] y = {1, 0};
        try (Tensor tp = backend.upload(shape, p);
                Tensor ty = backend.upload(shape, y)) {
            BinaryCrossEntropy bce = new BinaryCrossEntropy(backend);
            float loss = bce.forward(tp, ty);
            float lo = 1e-7f;
            float hi = 1f - 1e-7f;
            double expected = (-Math.log(lo) - Math.log(1 - hi)) / 2;
            assertEquals(expected, loss, 1e-4);
            assertEquals(16.0, loss, 0.2, "-log(1e-7) is about 16.1");
            float[] grad = backend.download(bce.backward());
            assertEquals(0f, grad[0], "gradient is zero where the clip bites (p below 1e-7)");
            assertEquals(0f, grad[1], "gradient is zero where the clip bites (p above 1 - 1e-7)");
        }
        // a perfect prediction costs about 1e-7, not 0
        try (Tensor tp = backend.upload(shape, new float[] {1f, 0f});
                Tensor ty = backend.upload(shape, y)) {
            float loss = new BinaryCrossEntropy(backend).evaluate(tp, ty);
            assertEquals(1.19e-7, loss, 2e-8);
        }
    }

    @Test
    void shapeMismatchIsNamed() {
        try (Tensor tp = backend.upload(Shape.of(2, 2), Data.uniform(4, 1f, 1));
                Tensor ty = backend.upload(Shape.of(1, 4), Data.uniform(4, 1f, 2))) {
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
                    IllegalArgumentException.class, () -> new BinaryCrossEntropy(backend).forward(tp, ty));
            org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("(2,2)"), e.getMessage());
        }
    }
}
