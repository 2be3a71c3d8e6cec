package dev.cxr.model.train;

import dev.cxr.engine.CxrException;
import dev.cxr.model.classifier.Head;
import dev.cxr.model.image.Preprocessing;
import java.util.Objects;

/**
 * Everything that decides a training run's numbers. The defaults are the tutorial's: 25 epochs,
 * batch 8, Adam 1e-3 decayed by lr/epochs per step, seed 42, rotation augmentation, 20% test split,
 * dropout 0.5, shuffling each epoch. Invalid values are refused with a line naming the option.
 *
 * @param preprocessing caffe (what the ImageNet weights expect; the default) or tutorial (pixels / 255)
 * @param shuffle       reshuffle the training set every epoch (Keras's default); off replays the
 *                      split's order, as the recorded Keras trace does
 */
public record TrainConfig(
        int epochs,
        int batchSize,
        float learningRate,
        long seed,
        Preprocessing preprocessing,
        boolean augment,
        double testSplit,
        boolean shuffle,
        float dropout) {
    public static final int EPOCHS = 25;
    public static final int BATCH_SIZE = 8;
    public static final float LEARNING_RATE = 1e-3f;
    public static final long SEED = 42;
    public static final double TEST_SPLIT = 0.2;
    /** The tutorial's ImageDataGenerator(rotation_range=15). */
    public static final double ROTATION_DEGREES = 15;

    public TrainConfig {
        Objects.requireNonNull(preprocessing, "preprocessing");
        if (epochs < 1) {
            throw new CxrException("--epochs must be at least 1, got " + epochs);
        }
        if (batchSize < 1) {
            throw new CxrException("--batch-size must be at least 1, got " + batchSize);
        }
        if (!(learningRate > 0) || Float.isInfinite(learningRate)) {
            throw new CxrException("--lr must be a positive number (the tutorial used 1e-3), got " + learningRate);
        }
        if (!(testSplit > 0 && testSplit < 1)) {
            throw new CxrException("--test-split must be a fraction between 0 and 1 (exclusive), got " + testSplit);
        }
        if (seed < 0 || seed > 0xffffffffL) {
            throw new CxrException("--seed must be between 0 and 4294967295 (numpy's range), got " + seed);
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new CxrException("dropout must be in [0, 1), got " + dropout);
        }
    }

    /** The tutorial's settings. */
    public static TrainConfig defaults() {
        return new TrainConfig(
                EPOCHS, BATCH_SIZE, LEARNING_RATE, SEED, Preprocessing.CAFFE, true, TEST_SPLIT, true, Head.DROPOUT);
    }

    /** Keras's legacy {@code decay = lr / epochs}, applied per step. */
    public float decay() {
        return learningRate / epochs;
    }

    public TrainConfig withEpochs(int e) {
        return new TrainConfig(e, batchSize, learningRate, seed, preprocessing, augment, testSplit, shuffle, dropout);
    }

    public TrainConfig withAugment(boolean a) {
        return new TrainConfig(epochs, batchSize, learningRate, seed, preprocessing, a, testSplit, shuffle, dropout);
    }

    public TrainConfig withShuffle(boolean s) {
        return new TrainConfig(epochs, batchSize, learningRate, seed, preprocessing, augment, testSplit, s, dropout);
    }

    public TrainConfig withDropout(float d) {
        return new TrainConfig(epochs, batchSize, learningRate, seed, preprocessing, augment, testSplit, shuffle, d);
    }

    public TrainConfig withTestSplit(double t) {
        return new TrainConfig(epochs, batchSize, learningRate, seed, preprocessing, augment, t, shuffle, dropout);
    }

    public TrainConfig withSeed(long s) {
        return new TrainConfig(epochs, batchSize, learningRate, s, preprocessing, augment, testSplit, shuffle, dropout);
    }

    public TrainConfig withPreprocessing(Preprocessing p) {
        return new TrainConfig(epochs, batchSize, learningRate, seed, p, augment, testSplit, shuffle, dropout);
    }

    /** Steps per epoch: ceil(n / batch), the last batch partial when the batch does not divide n (as Keras's fit). */
    public int stepsPerEpoch(int trainSize) {
        return (trainSize + batchSize - 1) / batchSize;
    }
}
