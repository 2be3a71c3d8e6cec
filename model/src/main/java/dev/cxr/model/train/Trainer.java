package dev.cxr.model.train;

import dev.cxr.engine.CxrException;
import dev.cxr.engine.backend.Backend;
import dev.cxr.engine.layers.Parameter;
import dev.cxr.engine.loss.BinaryCrossEntropy;
import dev.cxr.engine.optim.Adam;
import dev.cxr.engine.tensor.Shape;
import dev.cxr.engine.tensor.Tensor;
import dev.cxr.model.classifier.Head;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The tutorial's training loop for the head: per epoch, the training rows in a fresh seeded order
 * (Keras shuffles every epoch), cut into batches of {@code batchSize} with the last batch partial
 * when the batch size does not divide the rows (as Keras's {@code fit} keeps it); per batch, forward
 * with dropout, binary cross-entropy on the probabilities, backward through the head only, one Adam
 * step with the legacy per-step decay; after each epoch, loss and accuracy on the test split.
 *
 * <p>The epoch loss is the batch losses' mean weighted by batch size (Keras's running mean), which
 * is the plain mean when all batches are full.
 */
public final class Trainer {
    private final Backend backend;
    private final TrainConfig config;

    public Trainer(Backend backend, TrainConfig config) {
        this.backend = backend;
        this.config = config;
    }

    /**
     * Trains {@code head} in place.
     *
     * @param train        training batches
     * @param trainTargets one-hot targets of the training rows, [n, classes] row-major
     * @param test         the test split's features (validated on after every epoch)
     * @param testTargets  its one-hot targets
     * @param shuffle      the generator for the per-epoch order (unused when shuffling is off)
     * @return one entry per epoch
     */
    public List<EpochMetrics> fit(
            Head head,
            FeatureSource train,
            float[] trainTargets,
            CachedFeatures test,
            float[] testTargets,
            RandomGenerator shuffle,
            TrainingListener listener) {
        int n = train.size();
        int k = head.classes();
        if (trainTargets.length != n * k || testTargets.length != test.size() * k) {
            throw new IllegalArgumentException("targets do not match: " + n + " and " + test.size() + " rows of " + k);
        }
        int batch = config.batchSize();
        int steps = config.stepsPerEpoch(n);
        List<EpochMetrics> history = new ArrayList<>();
        try (BinaryCrossEntropy loss = new BinaryCrossEntropy(backend);
                Adam adam = new Adam(backend, head.parameters(), config.learningRate(), config.decay())) {
            int[] order = identity(n);
            for (int epoch = 1; epoch <= config.epochs(); epoch++) {
                long start = System.nanoTime();
                if (config.shuffle()) {
                    order = permutation(n, shuffle);
                }
                listener.epochStarted(epoch, config.epochs(), steps);
                double lossSum = 0;
                int correct = 0;
                int seen = 0;
                float lr = 0;
                for (int s = 0; s < steps; s++) {
                    int[] rows = Arrays.copyOfRange(order, s * batch, Math.min((s + 1) * batch, n));
                    lr = adam.currentLearningRate();
                    float l;
                    try (Tensor y = backend.upload(Shape.of(rows.length, k), gather(trainTargets, k, rows))) {
                        Tensor x = train.batch(rows);
                        head.network().zeroGrad();
                        Tensor p = head.network().forward(x, true);
                        l = loss.forward(p, y);
                        if (!Float.isFinite(l)) {
                            throw diverged(epoch, s + 1, "the loss is " + l);
                        }
                        correct += countCorrect(backend.download(p), gather(trainTargets, k, rows), k);
                        head.network().backward(loss.backward());
                        requireFiniteGradients(head, epoch, s + 1);
                        adam.step();
                    }
                    lossSum += (double) l * rows.length;
                    seen += rows.length;
                    listener.stepFinished(epoch, s, rows.length, l, lr, lossSum / seen, correct / (double) seen);
                }
                Validation val = validate(head, test, testTargets, loss);
                EpochMetrics m =
                        new EpochMetrics(epoch, lossSum / n, correct / (double) n, val.loss(), val.accuracy(), lr);
                history.add(m);
                listener.epochFinished(m, (System.nanoTime() - start) / 1e9);
            }
        }
        return history;
    }

    /** One step's gradients: a NaN or an infinity there would reach every weight through Adam. */
    private void requireFiniteGradients(Head head, int epoch, int step) {
        for (Parameter p : head.parameters()) {
            if (!p.trainable()) {
                continue;
            }
            float[] g = backend.download(p.grad());
            for (int i = 0; i < g.length; i++) {
                if (!Float.isFinite(g[i])) {
                    throw diverged(epoch, step, "the gradient of " + p.name() + " is " + g[i] + " at index " + i);
                }
            }
        }
    }

    private static CxrException diverged(int epoch, int step, String what) {
        return new CxrException("training stopped at epoch " + epoch + ", step " + step + ": " + what
                + " (non-finite features from damaged weights or images, or a learning rate too large);"
                + " no model was written");
    }

    /**
     * The head (inference mode) on the validation data, which in the tutorial is the test split:
     * what Keras's fit reports as val_loss and val_accuracy after each epoch, with the probabilities.
     */
    public record Validation(double loss, double accuracy, float[] probabilities) {}

    /** Validates in chunks of {@link #VALIDATION_CHUNK} rows; the loss is the mean over all rows. */
    public Validation validate(Head head, CachedFeatures features, float[] targets, BinaryCrossEntropy loss) {
        int n = features.size();
        int k = head.classes();
        float[] probs = new float[n * k];
        double lossSum = 0;
        for (int start = 0; start < n; start += VALIDATION_CHUNK) {
            int[] rows = new int[Math.min(VALIDATION_CHUNK, n - start)];
            for (int i = 0; i < rows.length; i++) {
                rows[i] = start + i;
            }
            Tensor p = head.network().forward(features.batch(rows), false);
            float[] y = gather(targets, k, rows);
            try (Tensor t = backend.upload(Shape.of(rows.length, k), y)) {
                lossSum += (double) loss.evaluate(p, t) * rows.length;
            }
            System.arraycopy(backend.download(p), 0, probs, start * k, rows.length * k);
        }
        return new Validation(lossSum / n, countCorrect(probs, targets, k) / (double) n, probs);
    }

    /** Rows per forward pass when validating the head. */
    static final int VALIDATION_CHUNK = 256;

    static int[] identity(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        return a;
    }

    /** A uniformly random order of 0..n-1 (Fisher-Yates) from the generator. */
    static int[] permutation(int n, RandomGenerator random) {
        int[] a = identity(n);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return a;
    }

    static float[] gather(float[] src, int per, int[] rows) {
        float[] out = new float[rows.length * per];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(src, rows[i] * per, out, i * per, per);
        }
        return out;
    }

    /** Correct predictions: argmax of the probabilities (first maximum on ties, as Keras) against the one-hot targets. */
    static int countCorrect(float[] probs, float[] onehot, int k) {
        int correct = 0;
        for (int i = 0; i < probs.length / k; i++) {
            if (argmax(probs, i * k, k) == argmax(onehot, i * k, k)) {
                correct++;
            }
        }
        return correct;
    }

    public static int argmax(float[] a, int offset, int k) {
        int best = 0;
        for (int j = 1; j < k; j++) {
            if (a[offset + j] > a[offset + best]) {
                best = j;
            }
        }
        return best;
    }
}
