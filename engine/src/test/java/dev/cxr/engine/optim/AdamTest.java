package dev.cxr.engine.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cxr.engine.backend.Backend;
import dev.cxr.engine.backend.cpu.ReferenceBackend;
import dev.cxr.engine.layers.Parameter;
import dev.cxr.engine.tensor.Shape;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Adam's arithmetic on values small enough to follow by hand. */
class AdamTest {
    private final Backend backend = new ReferenceBackend();

    private Parameter param(String name, float... values) {
        Parameter p = new Parameter(name, backend, backend.upload(Shape.of(values.length), values));
        return p;
    }

    @Test
    void firstStepMovesEachWeightByAboutTheLearningRate() {
        // t = 1: m = 0.1 g, v = 0.001 g^2, alpha = lr sqrt(0.001) / 0.1, so the step is
        // lr * 0.1 g sqrt(0.001) / 0.1 / (sqrt(0.001) |g| + 1e-7) = lr * sign(g) (to 1e-7 / (sqrt(0.001)|g|))
        Parameter w = param("w", 1f, -2f, 3f);
        w.grad();
        backend.copy(backend.upload(Shape.of(3), new float[] {0.5f, -4f, 0f}), w.grad());
        Adam adam = new Adam(backend, List.of(w), 1e-3f, 0f);
        adam.step();
        float[] v = w.get();
        assertEquals(1f - 1e-3f, v[0], 1e-6f);
        assertEquals(-2f + 1e-3f, v[1], 1e-6f);
        assertEquals(3f, v[2], 0f, "zero gradient, zero step");
        assertEquals(1, adam.iterations());
    }

    @Test
    void decayIsPerStepInverseTime() {
        Adam adam = new Adam(backend, List.of(), 1e-3f, 1e-3f / 25);
        assertEquals(1e-3f, adam.currentLearningRate());
        for (int i = 0; i < 124; i++) {
            adam.step();
        }
        // 1e-3 / (1 + 4e-5 * 124) = 9.9506e-4, the last step of 25 epochs x 5 steps
        assertEquals(9.9506e-4, adam.currentLearningRate(), 1e-8);
    }

    @Test
    void stepSizeFoldsBothBiasCorrections() {
        Adam adam = new Adam(backend, List.of(), 1e-3f, 0f);
        adam.step();
        adam.step();
        // t = 3: lr sqrt(1 - 0.999^3) / (1 - 0.9^3)
        double expected = 1e-3 * Math.sqrt(1 - Math.pow(0.999, 3)) / (1 - Math.pow(0.9, 3));
        assertEquals(expected, adam.stepSize(), 1e-9);
    }

    @Test
    void frozenParametersAreSkipped() {
        Parameter trained = param("trained", 1f);
        Parameter frozen = param("frozen", 1f);
        backend.fill(trained.grad(), 1f);
        backend.fill(frozen.grad(), 1f);
        frozen.setTrainable(false);
        Adam adam = new Adam(backend, List.of(trained, frozen), 1e-2f, 0f);
        adam.step();
        assertArrayEquals(new float[] {1f}, frozen.get());
        assertEquals(0.99f, trained.get()[0], 1e-6f);
    }

    @Test
    void rejectsBadHyperparameters() {
        assertThrows(IllegalArgumentException.class, () -> new Adam(backend, List.of(), -1e-3f, 0f));
        assertThrows(IllegalArgumentException.class, () -> new Adam(backend, List.of(), Float.NaN, 0f));
        assertThrows(IllegalArgumentException.class, () -> new Adam(backend, List.of(), 1e-3f, -1f));
    }
}
