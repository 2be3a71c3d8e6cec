package dev.cxr.engine.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cxr.engine.backend.Backend;
import dev.cxr.engine.backend.cpu.ReferenceBackend;
import dev.cxr.engine.tensor.Shape;
import dev.cxr.engine.tensor.Tensor;
import dev.cxr.engine.testing.Data;
import dev.cxr.engine.testing.GradientCheck;
import dev.cxr.engine.testing.ReplayRandom;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Central-difference gradient checks of every layer on tiny random shapes (batch 2, 5x5). */
class GradientCheckTest {
    private final Backend backend = new ReferenceBackend();

    private static void withRandomParams(Layer layer, long seed) {
        long s = seed;
        for (Parameter p : layer.parameters()) {
            p.set(Data.uniform(p.value().size(), 0.5f, s++));
        }
    }

    private int check(Layer layer, Shape in, float[] x) {
        return new GradientCheck(backend, layer, in, x, true).run(99);
    }

    @Test
    void conv2dSameStride1() {
        Conv2d conv = new Conv2d(backend, "conv", 3, 4, 3, 1, Padding.SAME, Activation.LINEAR);
        withRandomParams(conv, 1);
        Shape in = Shape.of(2, 3, 5, 5);
        int n = check(conv, in, Data.uniform(in.size(), 1f, 2));
        assertEquals(in.size() + 4 * 3 * 9 + 4, n);
    }

    @Test
    void conv2dValidStride2() {
        Conv2d conv = new Conv2d(backend, "conv", 2, 3, 3, 2, Padding.VALID, Activation.LINEAR);
        withRandomParams(conv, 3);
        Shape in = Shape.of(2, 2, 5, 5);
        assertEquals(Shape.of(2, 3, 2, 2), conv.outputShape(in));
        check(conv, in, Data.uniform(in.size(), 1f, 4));
    }

    @Test
    void conv2dSameStride2IsAsymmetric() {
        // TF 'same' with stride 2 on 6 pads 0 before and 1 after: exercises asymmetric padding
        Conv2d conv = new Conv2d(backend, "conv", 2, 2, 3, 2, Padding.SAME, Activation.LINEAR);
        withRandomParams(conv, 5);
        Shape in = Shape.of(2, 2, 6, 5);
        assertEquals(Shape.of(2, 2, 3, 3), conv.outputShape(in));
        check(conv, in, Data.uniform(in.size(), 1f, 6));
    }

    @Test
    void conv2dFusedReluEqualsConvThenRelu() {
        Conv2d fused = new Conv2d(backend, "fused", 3, 4, 3, 1, Padding.SAME, Activation.RELU);
        Conv2d linear = new Conv2d(backend, "linear", 3, 4, 3, 1, Padding.SAME, Activation.LINEAR);
        withRandomParams(fused, 7);
        withRandomParams(linear, 7);
        Sequential separate = Sequential.of("separate", linear, new ReLU(backend, "relu"));
        Shape in = Shape.of(2, 3, 5, 5);
        float[] x = Data.uniform(in.size(), 1f, 8);
        float[] r = Data.uniform(fused.outputShape(in).size(), 1f, 9);
        try (Tensor tx = backend.upload(in, x);
                Tensor dy = backend.upload(fused.outputShape(in), r)) {
            float[] yFused = backend.download(fused.forward(tx, true));
            float[] ySep = backend.download(separate.forward(tx, true));
            assertArrayEquals(ySep, yFused);
            assertTrue(
                    countZeros(yFused) > 0 && countZeros(yFused) < yFused.length,
                    "ReLU must cut some outputs, not all");
            assertArrayEquals(backend.download(separate.backward(dy)), backend.download(fused.backward(dy)));
            assertArrayEquals(
                    linear.kernel().grad() == null
                            ? null
                            : backend.download(linear.kernel().grad()),
                    backend.download(fused.kernel().grad()));
            assertArrayEquals(
                    backend.download(linear.bias().grad()),
                    backend.download(fused.bias().grad()));
        }
    }

    private static int countZeros(float[] a) {
        int z = 0;
        for (float v : a) {
            if (v == 0f) {
                z++;
            }
        }
        return z;
    }

    @Test
    void denseLinear() {
        Dense dense = new Dense(backend, "dense", 6, 4, Activation.LINEAR);
        withRandomParams(dense, 10);
        Shape in = Shape.of(2, 6);
        int n = check(dense, in, Data.uniform(in.size(), 1f, 11));
        assertEquals(12 + 24 + 4, n);
    }

    @Test
    void denseRelu() {
        // inputs and weights chosen so pre-activations stay away from 0 (a kink breaks central differences)
        Dense dense = new Dense(backend, "dense", 3, 4, Activation.RELU);
        dense.kernel().set(Data.awayFromZero(12, 0.5f, 1f, 12));
        dense.bias().set(new float[] {0.3f, -0.3f, 0.2f, -0.2f});
        Shape in = Shape.of(2, 3);
        float[] x = {1f, 0.2f, -0.4f, -0.6f, 0.9f, 0.3f};
        new GradientCheck(backend, dense, in, x, true).step(1e-3f).run(13);
    }

    @Test
    void maxPoolWithoutTies() {
        Shape in = Shape.of(2, 3, 5, 5);
        MaxPool2d pool = new MaxPool2d(backend, "pool", 2, 2);
        assertEquals(Shape.of(2, 3, 2, 2), pool.outputShape(in));
        // values 0.05 apart and a step of 1e-3: the perturbation never changes which element is the max
        new GradientCheck(backend, pool, in, Data.distinct(in.size(), 0.05f, 14), true)
                .step(1e-3f)
                .run(15);
    }

    @Test
    void averagePool4x4On7x7() {
        Shape in = Shape.of(2, 3, 7, 7);
        AveragePool2d pool = new AveragePool2d(backend, "pool", 4, 4);
        assertEquals(Shape.of(2, 3, 1, 1), pool.outputShape(in));
        check(pool, in, Data.uniform(in.size(), 1f, 16));
    }

    @Test
    void averagePoolOverlapping() {
        Shape in = Shape.of(2, 2, 5, 5);
        check(new AveragePool2d(backend, "pool", 3, 2), in, Data.uniform(in.size(), 1f, 17));
    }

    @Test
    void flatten() {
        Shape in = Shape.of(2, 3, 2, 2);
        check(new Flatten(backend, "flatten"), in, Data.uniform(in.size(), 1f, 18));
    }

    @Test
    void relu() {
        Shape in = Shape.of(2, 3, 5, 5);
        new GradientCheck(backend, new ReLU(backend, "relu"), in, Data.awayFromZero(in.size(), 0.1f, 1f, 19), true)
                .step(1e-3f)
                .run(20);
    }

    @Test
    void dropoutWithItsMaskHeldFixed() {
        Shape in = Shape.of(2, 10);
        ReplayRandom random = new ReplayRandom(21);
        Dropout dropout = new Dropout(backend, "dropout", 0.5f, random);
        new GradientCheck(backend, dropout, in, Data.uniform(in.size(), 1f, 22), true)
                .beforeForward(random::rewind)
                .run(23);
    }

    @Test
    void softmax() {
        Shape in = Shape.of(2, 4);
        new GradientCheck(backend, new Softmax(backend, "softmax"), in, Data.uniform(in.size(), 2f, 24), true)
                .step(1e-3f)
                .run(25);
    }

    @Test
    void tutorialHeadAsOneSequential() {
        // AveragePool 4x4 -> Flatten -> Dense ReLU -> Dropout (off) -> Dense -> Softmax, on a 7x7 map
        SplittableRandom init = new SplittableRandom(26);
        Dense d1 = new Dense(backend, "dense", 3, 5, Activation.RELU).initialize(init);
        Dense d2 = new Dense(backend, "dense_1", 5, 2, Activation.LINEAR).initialize(init);
        d1.bias().set(new float[] {0.5f, 0.5f, 0.5f, 0.5f, 0.5f}); // keep most hidden units away from the kink
        Sequential head = Sequential.of(
                "head",
                new AveragePool2d(backend, "avg", 4, 4),
                new Flatten(backend, "flat"),
                d1,
                new Dropout(backend, "dropout", 0.5f, new SplittableRandom(1)),
                d2,
                new Softmax(backend, "softmax"));
        Shape in = Shape.of(2, 3, 7, 7);
        // training=false: dropout is the identity here; dropout has its own check
        int n = new GradientCheck(backend, head, in, Data.uniform(in.size(), 1f, 27), false)
                .step(1e-3f)
                .run(28);
        assertEquals(in.size() + 15 + 5 + 10 + 2, n);
    }

    @Test
    void frozenParametersGetNoGradient() {
        Dense dense = new Dense(backend, "dense", 3, 2, Activation.LINEAR);
        withRandomParams(dense, 29);
        dense.freeze();
        Shape in = Shape.of(2, 3);
        try (Tensor x = backend.upload(in, Data.uniform(6, 1f, 30));
                Tensor dy = backend.upload(Shape.of(2, 2), Data.uniform(4, 1f, 31))) {
            dense.forward(x, true);
            float[] dx = backend.download(dense.backward(dy));
            assertTrue(Data.maxAbs(dx) > 0, "input gradient still flows through a frozen layer");
        }
        assertEquals(0.0, Data.maxAbs(backend.download(dense.kernel().grad())));
        assertEquals(0.0, Data.maxAbs(backend.download(dense.bias().grad())));
    }

    @Test
    void backwardAccumulatesIntoParameterGradients() {
        Dense dense = new Dense(backend, "dense", 3, 2, Activation.LINEAR);
        withRandomParams(dense, 32);
        Shape in = Shape.of(2, 3);
        try (Tensor x = backend.upload(in, Data.uniform(6, 1f, 33));
                Tensor dy = backend.upload(Shape.of(2, 2), Data.uniform(4, 1f, 34))) {
            dense.forward(x, true);
            dense.backward(dy);
            float[] once = backend.download(dense.kernel().grad());
            dense.backward(dy);
            float[] twice = backend.download(dense.kernel().grad());
            for (int i = 0; i < once.length; i++) {
                assertEquals(2 * once[i], twice[i], 1e-6f);
            }
            dense.zeroGrad();
            assertEquals(0.0, Data.maxAbs(backend.download(dense.kernel().grad())));
        }
    }
}
