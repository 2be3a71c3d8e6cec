package dev.cxr.model.explain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cxr.engine.backend.Backend;
import dev.cxr.engine.backend.cpu.ReferenceBackend;
import dev.cxr.engine.layers.Activation;
import dev.cxr.engine.layers.AveragePool2d;
import dev.cxr.engine.layers.Conv2d;
import dev.cxr.engine.layers.Dense;
import dev.cxr.engine.layers.Dropout;
import dev.cxr.engine.layers.Flatten;
import dev.cxr.engine.layers.MaxPool2d;
import dev.cxr.engine.layers.Padding;
import dev.cxr.engine.layers.Sequential;
import dev.cxr.engine.layers.Softmax;
import dev.cxr.engine.tensor.Shape;
import dev.cxr.engine.tensor.Tensor;
import dev.cxr.engine.testing.Data;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The cut network's gradient on a small network of the tutorial's shape after the target (a 3x3
 * convolution to 4 channels of 14x14, then 2x2 max pool, 4x4 average pool, Dense(5, relu), dropout,
 * Dense(3)), against central differences of the logit in {@link PoolHeadOracle}'s double loops.
 */
class ActivationGradientsTest {
    private static final int N = 2;
    private static final int C = 4;
    private static final int S = 14;
    private static final int HIDDEN = 5;
    private static final int CLASSES = 3;
    /** Step of the central differences: far below the gaps between distinct activations, far above double rounding. */
    private static final double STEP = 1e-4;

    @Test
    void gradientIsTheLogitsCentralDifferenceAndZeroWhereTheHeadDoesNotRead() {
        try (Backend backend = new ReferenceBackend();
                Conv2d conv = new Conv2d(backend, "target", 3, C, 3, 1, Padding.SAME, Activation.RELU);
                Sequential after = Sequential.of(
                        "after",
                        new MaxPool2d(backend, "pool", 2, 2),
                        new AveragePool2d(backend, "avg", 4, 4),
                        new Flatten(backend, "flatten"),
                        new Dense(backend, "dense", C, HIDDEN, Activation.RELU),
                        new Dropout(backend, "dropout", 0.5f, new SplittableRandom(3)),
                        new Dense(backend, "dense_1", HIDDEN, CLASSES, Activation.LINEAR));
                Softmax softmax = new Softmax(backend, "softmax")) {
            SplittableRandom r = new SplittableRandom(5);
            conv.initialize(r);
            conv.bias().set(Data.uniform(C, 0.1f, 6));
            Dense d = (Dense) after.layer("dense");
            Dense d1 = (Dense) after.layer("dense_1");
            d.initialize(r);
            d.bias().set(Data.uniform(HIDDEN, 0.2f, 7));
            d1.initialize(r);
            d1.bias().set(Data.uniform(CLASSES, 0.2f, 8));
            assertThrows(
                    IllegalArgumentException.class,
                    () -> new ActivationGradients(backend, conv, after, softmax),
                    "trainable layers after the target are refused");
            after.freeze();
            ActivationGradients cut = new ActivationGradients(backend, conv, after, softmax);
            assertEquals(Shape.of(N, C, S, S), cut.targetShape(Shape.of(N, 3, S, S)));

            int[] predictedSeen = new int[N];
            ActivationGradients.Result res;
            try (Tensor x = backend.upload(Shape.of(N, 3, S, S), Data.uniform(N * 3 * S * S, 1f, 9))) {
                // image 0 explains class 2, image 1 its predicted class
                res = cut.run(x, (i, predicted) -> {
                    predictedSeen[i] = predicted;
                    return i == 0 ? 2 : predicted;
                });
            }
            assertEquals(2, res.explained()[0]);
            assertEquals(predictedSeen[1], res.explained()[1]);
            PoolHeadOracle oracle = new PoolHeadOracle(
                    C,
                    S,
                    S,
                    d.kernel().get(),
                    d.bias().get(),
                    d1.kernel().get(),
                    d1.bias().get());
            int per = C * S * S;
            for (int i = 0; i < N; i++) {
                double[] a = new double[per];
                for (int j = 0; j < per; j++) {
                    a[j] = res.activations()[res.offset(i) + j];
                }
                double[] logits = oracle.logits(a);
                for (int k = 0; k < CLASSES; k++) {
                    assertEquals(
                            logits[k],
                            res.logits()[i * CLASSES + k],
                            1e-5 * (1 + Math.abs(logits[k])),
                            "the engine's logit " + k + " of image " + i + " is the oracle's");
                }
                int explained = res.explained()[i];
                double[] fd = oracle.centralDifferences(res.activations(), res.offset(i), explained, STEP);
                int compared = Differences.assertMatches("image " + i, res.gradients(), res.offset(i), fd);
                assertTrue(compared > per * 3 / 4, "most elements are away from kinks: " + compared + " of " + per);
                int nonZero = 0;
                for (int k = 0; k < C; k++) {
                    for (int y = 0; y < S; y++) {
                        for (int x = 0; x < S; x++) {
                            float g = res.gradients()[res.offset(i) + (k * S + y) * S + x];
                            if (y >= 8 || x >= 8) {
                                assertEquals(
                                        0f,
                                        g,
                                        "no gradient where the head does not read: (" + k + "," + y + "," + x + ")");
                            } else {
                                nonZero += g != 0 ? 1 : 0;
                            }
                        }
                    }
                }
                // one position of each 2x2 window gets its gradient: 16 of the corner's 64, per channel
                assertTrue(nonZero >= C * 16 / 2, "the corner has gradient: " + nonZero);
            }
            float[] p = res.probabilities();
            for (int i = 0; i < N; i++) {
                double sum = 0;
                for (int k = 0; k < CLASSES; k++) {
                    sum += p[i * CLASSES + k];
                }
                assertEquals(1.0, sum, 1e-6);
            }
            assertArrayEquals(
                    new int[] {predictedSeen[0], predictedSeen[1]},
                    new int[] {argmax(p, 0), argmax(p, CLASSES)},
                    "the chooser is given the predicted class");
        }
    }

    private static int argmax(float[] p, int from) {
        int best = 0;
        for (int k = 1; k < CLASSES; k++) {
            if (p[from + k] > p[from + best]) {
                best = k;
            }
        }
        return best;
    }
}
