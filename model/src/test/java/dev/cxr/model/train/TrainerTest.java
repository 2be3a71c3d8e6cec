package dev.cxr.model.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cxr.engine.CxrException;
import dev.cxr.engine.backend.Backend;
import dev.cxr.engine.backend.cpu.ReferenceBackend;
import dev.cxr.engine.tensor.Shape;
import dev.cxr.engine.tensor.Tensor;
import dev.cxr.model.classifier.Head;
import dev.cxr.model.image.Preprocessing;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The loop's batching decisions on a tiny head: partial last batch kept, seeded reshuffle each epoch. */
class TrainerTest {
    private final Backend backend = new ReferenceBackend();

    /** Records which rows each batch asked for. */
    private static final class Recording implements FeatureSource {
        final CachedFeatures inner;
        final List<int[]> batches = new ArrayList<>();

        Recording(CachedFeatures inner) {
            this.inner = inner;
        }

        @Override
        public int size() {
            return inner.size();
        }

        @Override
        public Tensor batch(int[] rows) {
            batches.add(rows.clone());
            return inner.batch(rows);
        }
    }

    private static float[] features(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] f = new float[n * 4];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return f;
    }

    private static float[] targets(int n) {
        float[] y = new float[n * 2];
        for (int i = 0; i < n; i++) {
            y[2 * i + (i % 2)] = 1f;
        }
        return y;
    }

    private List<EpochMetrics> fit(boolean shuffle, Recording train, List<float[]> stepLosses, long shuffleSeed) {
        TrainConfig config = new TrainConfig(3, 2, 1e-2f, 1, Preprocessing.CAFFE, false, 0.2, shuffle, 0f);
        try (Head head = Head.onPooled(backend, 4, 2, 0f, new SplittableRandom(1))
                        .initialize(new SplittableRandom(2));
                CachedFeatures test = new CachedFeatures(backend, features(3, 9), Shape.of(1, 4))) {
            return new Trainer(backend, config)
                    .fit(
                            head,
                            train,
                            targets(5),
                            test,
                            targets(3),
                            new SplittableRandom(shuffleSeed),
                            new TrainingListener() {
                                @Override
                                public void stepFinished(
                                        int epoch,
                                        int step,
                                        int batchSize,
                                        float loss,
                                        float lr,
                                        double runningLoss,
                                        double runningAccuracy) {
                                    stepLosses.add(new float[] {batchSize, loss});
                                }
                            });
        }
    }

    @Test
    void keepsThePartialLastBatchAndWeightsTheEpochLossByBatchSize() {
        Recording train = new Recording(new CachedFeatures(backend, features(5, 3), Shape.of(1, 4)));
        List<float[]> steps = new ArrayList<>();
        List<EpochMetrics> history = fit(false, train, steps, 0);
        assertEquals(9, train.batches.size(), "3 epochs of ceil(5 / 2) = 3 steps");
        assertArrayEquals(new int[] {0, 1}, train.batches.get(0));
        assertArrayEquals(new int[] {2, 3}, train.batches.get(1));
        assertArrayEquals(new int[] {4}, train.batches.get(2), "the last batch is partial, not dropped");
        for (int e = 0; e < 3; e++) {
            double weighted = 0;
            for (int s = 0; s < 3; s++) {
                float[] st = steps.get(e * 3 + s);
                weighted += st[0] * st[1];
            }
            assertEquals(weighted / 5, history.get(e).loss(), 1e-12, "epoch " + e);
        }
    }

    @Test
    void reshufflesEveryEpochFromTheSeed() {
        Recording a = new Recording(new CachedFeatures(backend, features(5, 3), Shape.of(1, 4)));
        fit(true, a, new ArrayList<>(), 5);
        List<int[]> epochs = new ArrayList<>();
        for (int e = 0; e < 3; e++) {
            int[] order = new int[5];
            int k = 0;
            for (int s = 0; s < 3; s++) {
                for (int r : a.batches.get(e * 3 + s)) {
                    order[k++] = r;
                }
            }
            int[] sorted = order.clone();
            Arrays.sort(sorted);
            assertArrayEquals(new int[] {0, 1, 2, 3, 4}, sorted, "every row once per epoch");
            epochs.add(order);
        }
        assertNotEquals(Arrays.toString(epochs.get(0)), Arrays.toString(epochs.get(1)));
        Recording b = new Recording(new CachedFeatures(backend, features(5, 3), Shape.of(1, 4)));
        fit(true, b, new ArrayList<>(), 5);
        for (int i = 0; i < a.batches.size(); i++) {
            assertArrayEquals(a.batches.get(i), b.batches.get(i), "the same seed gives the same order");
        }
    }

    @Test
    void aNonFiniteGradientStopsTrainingWithOneLine() {
        float[] f = features(5, 3);
        f[3 * 4 + 1] = Float.NaN; // row 3, in the second batch of the unshuffled first epoch
        Recording train = new Recording(new CachedFeatures(backend, f, Shape.of(1, 4)));
        List<float[]> steps = new ArrayList<>();
        CxrException e = assertThrows(CxrException.class, () -> fit(false, train, steps, 0));
        // the loss clips the NaN probability and stays finite; the gradient of the first dense kernel does not
        // (row 3's feature 1 feeds kernel row 1: flat index 1 * 64)
        assertTrue(
                e.getMessage()
                        .startsWith("training stopped at epoch 1, step 2: the gradient of dense/kernel is NaN"
                                + " at index 64"),
                e.getMessage());
        assertTrue(e.getMessage().endsWith("no model was written"), e.getMessage());
        assertEquals(1, steps.size(), "the first step finished, the second did not");
    }
}
