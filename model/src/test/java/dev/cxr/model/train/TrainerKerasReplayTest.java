package dev.cxr.model.train;

import static dev.cxr.engine.testing.KerasHeadTrace.ACCURACY_TOL;
import static dev.cxr.engine.testing.KerasHeadTrace.BATCH;
import static dev.cxr.engine.testing.KerasHeadTrace.EPOCHS;
import static dev.cxr.engine.testing.KerasHeadTrace.FINAL_WEIGHTS;
import static dev.cxr.engine.testing.KerasHeadTrace.LEARNING_RATE;
import static dev.cxr.engine.testing.KerasHeadTrace.LOSS_TOL;
import static dev.cxr.engine.testing.KerasHeadTrace.LR_TOL;
import static dev.cxr.engine.testing.KerasHeadTrace.PROB_TOL;
import static dev.cxr.engine.testing.KerasHeadTrace.TRACE;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cxr.engine.backend.Backend;
import dev.cxr.engine.backend.cpu.ReferenceBackend;
import dev.cxr.engine.tensor.Shape;
import dev.cxr.engine.testing.Compare;
import dev.cxr.engine.testing.H5;
import dev.cxr.engine.testing.KerasHeadTrace;
import dev.cxr.model.classifier.Head;
import dev.cxr.model.image.Preprocessing;
import io.jhdf.HdfFile;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Runs this project's {@link Trainer} (not a hand-written loop) on the Keras head trace: the pooled
 * features of the 40 training images in the split's order, Keras's initial weights, shuffling off,
 * dropout off, augmentation off, 25 epochs of batch 8. Every step's loss and learning rate, every
 * epoch's metrics, the final weights and the test probabilities must match what Keras recorded:
 * this shows the loop itself (batching, step count, per-step decay, validation) is the tutorial's.
 *
 * <p>The trace (the engine's test resource), its recipe and the tolerances, with their reasons, are
 * {@link KerasHeadTrace}'s, shared with the engine's replay tests.
 */
class TrainerKerasReplayTest {

    @Test
    void theTrainingLoopReplaysKerasStepByStep() throws Exception {
        Backend backend = new ReferenceBackend();
        try (HdfFile h5 = new HdfFile(KerasHeadTrace.path())) {
            float[] pooled = H5.floats(h5, "/data/pooled");
            float[] labels = H5.floats(h5, "/data/labels_onehot");
            int[] train = H5.ints(h5, "/data/train_index");
            int[] test = H5.ints(h5, "/data/test_index");
            double[] stepLoss = H5.flat(h5, TRACE + "step_loss");
            double[] stepLr = H5.flat(h5, TRACE + "step_lr");

            TrainConfig config =
                    new TrainConfig(EPOCHS, BATCH, LEARNING_RATE, 42, Preprocessing.TUTORIAL, false, 0.2, false, 0f);
            try (Head head = Head.onPooled(backend, 512, 2, 0f, new SplittableRandom(1));
                    CachedFeatures trainFeatures =
                            new CachedFeatures(backend, Trainer.gather(pooled, 512, train), Shape.of(1, 512));
                    CachedFeatures testFeatures =
                            new CachedFeatures(backend, Trainer.gather(pooled, 512, test), Shape.of(1, 512))) {
                head.dense().kernel().set(H5.floats(h5, "/initial_weights/dense1_kernel"));
                head.dense().bias().set(H5.floats(h5, "/initial_weights/dense1_bias"));
                head.dense1().kernel().set(H5.floats(h5, "/initial_weights/dense2_kernel"));
                head.dense1().bias().set(H5.floats(h5, "/initial_weights/dense2_bias"));

                List<float[]> steps = new ArrayList<>();
                TrainingListener record = new TrainingListener() {
                    @Override
                    public void stepFinished(
                            int epoch,
                            int step,
                            int batchSize,
                            float loss,
                            float lr,
                            double runningLoss,
                            double runningAccuracy) {
                        assertEquals(BATCH, batchSize);
                        steps.add(new float[] {loss, lr});
                    }
                };
                List<EpochMetrics> history = new Trainer(backend, config)
                        .fit(
                                head,
                                trainFeatures,
                                Trainer.gather(labels, 2, train),
                                testFeatures,
                                Trainer.gather(labels, 2, test),
                                new SplittableRandom(99),
                                record);

                assertEquals(125, steps.size(), "25 epochs of 40 / 8 steps");
                double maxStep = 0;
                for (int i = 0; i < steps.size(); i++) {
                    maxStep = Math.max(maxStep, Math.abs(steps.get(i)[0] - stepLoss[i]));
                    assertEquals(stepLoss[i], steps.get(i)[0], LOSS_TOL, "loss of step " + i);
                    assertEquals(stepLr[i], steps.get(i)[1], LR_TOL, "learning rate of step " + i);
                }
                double[] epochLoss = H5.flat(h5, TRACE + "epoch_loss");
                double[] epochAcc = H5.flat(h5, TRACE + "epoch_accuracy");
                double[] valLoss = H5.flat(h5, TRACE + "epoch_val_loss");
                double[] valAcc = H5.flat(h5, TRACE + "epoch_val_accuracy");
                for (int e = 0; e < EPOCHS; e++) {
                    EpochMetrics m = history.get(e);
                    assertEquals(e + 1, m.epoch());
                    assertEquals(epochLoss[e], m.loss(), LOSS_TOL, "epoch loss " + e);
                    assertEquals(epochAcc[e], m.accuracy(), ACCURACY_TOL, "epoch accuracy " + e);
                    assertEquals(valLoss[e], m.valLoss(), LOSS_TOL, "val loss " + e);
                    assertEquals(valAcc[e], m.valAccuracy(), ACCURACY_TOL, "val accuracy " + e);
                }
                double w = Math.max(
                        Math.max(
                                Compare.assertWithin(
                                        "final dense kernel",
                                        H5.floats(h5, TRACE + "final_dense1_kernel"),
                                        head.dense().kernel().get(),
                                        FINAL_WEIGHTS),
                                Compare.assertWithin(
                                        "final dense bias",
                                        H5.floats(h5, TRACE + "final_dense1_bias"),
                                        head.dense().bias().get(),
                                        FINAL_WEIGHTS)),
                        Math.max(
                                Compare.assertWithin(
                                        "final dense_1 kernel",
                                        H5.floats(h5, TRACE + "final_dense2_kernel"),
                                        head.dense1().kernel().get(),
                                        FINAL_WEIGHTS),
                                Compare.assertWithin(
                                        "final dense_1 bias",
                                        H5.floats(h5, TRACE + "final_dense2_bias"),
                                        head.dense1().bias().get(),
                                        FINAL_WEIGHTS)));
                try (var loss = new dev.cxr.engine.loss.BinaryCrossEntropy(backend)) {
                    float[] probs = new Trainer(backend, config)
                            .validate(head, testFeatures, Trainer.gather(labels, 2, test), loss)
                            .probabilities();
                    double[] expected = H5.flat(h5, TRACE + "test_probs");
                    for (int i = 0; i < probs.length; i++) {
                        assertEquals(expected[i], probs[i], PROB_TOL, "test probability " + i);
                    }
                }
                System.out.printf(
                        "Trainer replay of the Keras trace: max step-loss deviation %.2e, weights %.2e of max%n",
                        maxStep, w);
            }
        }
    }
}
