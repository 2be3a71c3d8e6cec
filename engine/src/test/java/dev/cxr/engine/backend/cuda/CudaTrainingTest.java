package dev.cxr.engine.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cxr.engine.backend.Backend;
import dev.cxr.engine.backend.cpu.ReferenceBackend;
import dev.cxr.engine.layers.Activation;
import dev.cxr.engine.layers.Conv2d;
import dev.cxr.engine.layers.Dense;
import dev.cxr.engine.layers.Dropout;
import dev.cxr.engine.layers.Flatten;
import dev.cxr.engine.layers.MaxPool2d;
import dev.cxr.engine.layers.Padding;
import dev.cxr.engine.layers.Sequential;
import dev.cxr.engine.layers.Softmax;
import dev.cxr.engine.loss.BinaryCrossEntropy;
import dev.cxr.engine.optim.Adam;
import dev.cxr.engine.tensor.Shape;
import dev.cxr.engine.tensor.Tensor;
import dev.cxr.engine.testing.Data;
import dev.cxr.engine.testing.H5;
import dev.cxr.engine.testing.KerasHeadTrace;
import io.jhdf.HdfFile;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Training on the GPU tracks training on the CPU: the same small network (conv, pool, dense, dropout,
 * softmax, binary cross-entropy, Adam) from the same initial weights on the same batches gives the
 * same losses step by step; and the tutorial's head, replayed on the GPU from the Keras trace in the
 * test resources, gives Keras's losses. Skipped without a GPU.
 */
class CudaTrainingTest {
    /**
     * Per-step loss, GPU against CPU: the forward passes differ by float32 rounding (~1e-6); Adam
     * normalises each gradient, so rounding-level differences in tiny gradient components become
     * learning-rate-sized steps in those weights; over 15 steps the losses stay within 1e-4 relative.
     */
    private static final double LOSS_REL_TOL = 1e-4;

    private static final int STEPS = 15;

    private static CudaBackend gpu;

    @BeforeAll
    static void open() {
        gpu = CudaTesting.openIfUsable("CudaTrainingTest");
    }

    @AfterAll
    static void close() {
        CudaTesting.printPlans("CudaTrainingTest", gpu);
        if (gpu != null) {
            gpu.close();
        }
    }

    /** conv 3->6 (3x3 same, ReLU) -> max pool 2 -> flatten -> dense 96->16 ReLU -> dropout 0.25 -> dense 16->2 -> softmax. */
    private static Sequential net(Backend b) {
        SplittableRandom init = new SplittableRandom(3);
        Conv2d conv = new Conv2d(b, "conv", 3, 6, 3, 1, Padding.SAME, Activation.RELU).initialize(init);
        Dense d1 = new Dense(b, "dense1", 6 * 4 * 4, 16, Activation.RELU).initialize(init);
        Dense d2 = new Dense(b, "dense2", 16, 2, Activation.LINEAR).initialize(init);
        return Sequential.of(
                "small",
                conv,
                new MaxPool2d(b, "pool", 2, 2),
                new Flatten(b, "flatten"),
                d1,
                new Dropout(b, "dropout", 0.25f, new SplittableRandom(4)),
                d2,
                new Softmax(b, "softmax"));
    }

    /** The losses of STEPS training steps on fixed batches; dropout masks come from the same seed on both. */
    private static float[] train(Backend b) {
        float[] losses = new float[STEPS];
        Shape xs = Shape.of(8, 3, 8, 8);
        try (Sequential net = net(b);
                BinaryCrossEntropy loss = new BinaryCrossEntropy(b);
                Adam adam = new Adam(b, net.parameters(), 1e-2f, 1e-3f)) {
            for (int step = 0; step < STEPS; step++) {
                float[] x = Data.uniform(xs.size(), 1f, 700 + step % 3);
                float[] y = new float[16];
                for (int i = 0; i < 8; i++) {
                    y[2 * i + ((i + step % 3) % 2)] = 1f;
                }
                try (Tensor tx = b.upload(xs, x);
                        Tensor ty = b.upload(Shape.of(8, 2), y)) {
                    net.zeroGrad();
                    Tensor p = net.forward(tx, true);
                    losses[step] = loss.forward(p, ty);
                    net.backward(loss.backward());
                    adam.step();
                }
            }
        }
        return losses;
    }

    @Test
    void smallNetworkLearnsOnTheCpu() {
        float[] cpu = train(new ReferenceBackend());
        assertTrue(cpu[STEPS - 1] < 0.9 * cpu[0], "the network should learn: " + Arrays.toString(cpu));
    }

    @Test
    void smallNetworkLossesTrackTheCpu() {
        CudaTesting.assumeGpu(gpu);
        float[] cpu = train(new ReferenceBackend());
        float[] cuda = train(gpu);
        System.out.println("  losses, cpu:  " + Arrays.toString(cpu));
        System.out.println("  losses, cuda: " + Arrays.toString(cuda));
        double worst = 0;
        for (int i = 0; i < STEPS; i++) {
            double rel = Math.abs(cpu[i] - cuda[i]) / Math.abs(cpu[i]);
            worst = Math.max(worst, rel);
            assertTrue(rel <= LOSS_REL_TOL, "step " + i + ": cpu " + cpu[i] + ", cuda " + cuda[i]);
        }
        System.out.printf(
                Locale.ROOT,
                "  small network, %d steps: worst relative loss difference %.2e (tolerance %.0e)%n",
                STEPS,
                worst,
                LOSS_REL_TOL);
    }

    @Test
    void tutorialHeadReplaysKerasOnTheCpu() throws Exception {
        replayHead(new ReferenceBackend());
    }

    @Test
    void tutorialHeadReplaysKerasOnTheGpu() throws Exception {
        CudaTesting.assumeGpu(gpu);
        replayHead(gpu);
    }

    /** The first two epochs of the Keras trace (dropout off): every step's loss within the CPU replay's tolerance. */
    private static void replayHead(Backend b) throws Exception {
        try (HdfFile h5 = new HdfFile(KerasHeadTrace.path())) {
            float[] pooled = H5.floats(h5, "/data/pooled");
            float[] labels = H5.floats(h5, "/data/labels_onehot");
            double[] trainIdx = H5.flat(h5, "/data/train_index");
            double[] stepLoss = H5.flat(h5, KerasHeadTrace.TRACE + "step_loss");
            Dense dense = new Dense(b, "dense", 512, 64, Activation.RELU);
            Dense dense1 = new Dense(b, "dense_1", 64, 2, Activation.LINEAR);
            dense.kernel().set(H5.floats(h5, "/initial_weights/dense1_kernel"));
            dense.bias().set(H5.floats(h5, "/initial_weights/dense1_bias"));
            dense1.kernel().set(H5.floats(h5, "/initial_weights/dense2_kernel"));
            dense1.bias().set(H5.floats(h5, "/initial_weights/dense2_bias"));
            try (Sequential head = Sequential.of(
                            "head",
                            dense,
                            new Dropout(b, "dropout", 0f, new SplittableRandom(1)),
                            dense1,
                            new Softmax(b, "softmax"));
                    BinaryCrossEntropy loss = new BinaryCrossEntropy(b);
                    Adam adam = new Adam(b, head.parameters(), KerasHeadTrace.LEARNING_RATE, KerasHeadTrace.DECAY)) {
                int steps = 10; // the first two epochs
                double worst = 0;
                for (int it = 0; it < steps; it++) {
                    int s = it % 5;
                    float[] x = new float[8 * 512];
                    float[] y = new float[8 * 2];
                    for (int r = 0; r < 8; r++) {
                        int row = (int) trainIdx[s * 8 + r];
                        System.arraycopy(pooled, row * 512, x, r * 512, 512);
                        System.arraycopy(labels, row * 2, y, r * 2, 2);
                    }
                    try (Tensor tx = b.upload(Shape.of(8, 512), x);
                            Tensor ty = b.upload(Shape.of(8, 2), y)) {
                        head.zeroGrad();
                        float l = loss.forward(head.forward(tx, true), ty);
                        worst = Math.max(worst, Math.abs(l - stepLoss[it]));
                        assertEquals(stepLoss[it], l, KerasHeadTrace.LOSS_TOL, "loss of step " + it);
                        head.backward(loss.backward());
                        adam.step();
                    }
                }
                System.out.printf(
                        Locale.ROOT,
                        "  Keras head replay on %s, %d steps: worst |loss - keras| %.2e (tolerance %.0e)%n",
                        b.name(),
                        steps,
                        worst,
                        KerasHeadTrace.LOSS_TOL);
            }
        }
    }
}
