package dev.cxr.model.train;

/** Receives the training loop's progress: the progress bar, tests that check each step. */
public interface TrainingListener {
    /** @param epoch 1-based */
    default void epochStarted(int epoch, int epochs, int steps) {}

    /**
     * After each step. {@code loss} is the batch's loss at the weights before the step (what the
     * step differentiates); the running values are the epoch's means so far.
     */
    default void stepFinished(
            int epoch,
            int step,
            int batchSize,
            float loss,
            float learningRate,
            double runningLoss,
            double runningAccuracy) {}

    default void epochFinished(EpochMetrics metrics, double seconds) {}

    /** Listens to nothing. */
    TrainingListener NONE = new TrainingListener() {};
}
