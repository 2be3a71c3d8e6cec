package dev.cxr.engine.testing;

import dev.cxr.engine.testing.Compare.Tolerance;
import java.nio.file.Path;

/**
 * The Keras head-training trace of the engine's test resources ({@value #RESOURCE}, described in the
 * README beside it): how the run was recorded, and how closely a replay must follow it. One place for
 * every test that replays it (the engine's KerasHeadReplayTest and CudaTrainingTest, the model's
 * TrainerKerasReplayTest) or reads its split (the model's StratifiedSplitTest); the model's tests
 * read the file through the engine's test jar.
 *
 * <p>The tolerances. An independent float64 replay matched Keras's step losses to 4e-6 and its weights
 * to 3.3e-6 of their max; float32 replays (ours, numpy's) to a few 1e-6. Keras itself runs in float32
 * with another summation order (oneDNN GEMMs), so each bound below leaves room for that and still
 * catches a wrong epsilon, decay schedule or skipped step.
 */
public final class KerasHeadTrace {
    private KerasHeadTrace() {}

    /** The file, a test resource of the engine. */
    public static final String RESOURCE = "keras/head-trace-pooled-seed1.h5";
    /** The trace with dropout off, the one the replays follow. */
    public static final String TRACE = "/traces/prob_dropout0.0/";

    public static final int EPOCHS = 25;
    public static final int BATCH = 8;
    public static final float LEARNING_RATE = 1e-3f;
    /** Keras's legacy time-based decay, per step: the learning rate over the number of epochs. */
    public static final float DECAY = LEARNING_RATE / EPOCHS;

    /**
     * Step and epoch losses, absolute: losses are 0.4-1.1; 5x the float64 replay's deviation, while a
     * wrong epsilon placement or decay schedule moves them by 1e-4 or more within a few epochs.
     */
    public static final double LOSS_TOL = 2e-5;
    /** Learning rates, absolute: float32 values of about 1e-3 carry 1e-10 rounding. */
    public static final double LR_TOL = 1e-9;
    /** Test probabilities, absolute. */
    public static final double PROB_TOL = 2e-5;
    /** Accuracies: Keras stores them as float32 (0.35 reads 0.3499999940395355); they are counts out of 8, 40 or 10. */
    public static final double ACCURACY_TOL = 1e-6;
    /** The final weights, of their max. */
    public static final Tolerance FINAL_WEIGHTS = new Tolerance(
            "final weights", 1e-4, "30x the float64 replay's 3.3e-6; a single skipped step moves them about 1e-3");

    /** The file on disk (extracted from the test jar where it is read from one). */
    public static Path path() {
        return Resources.path(RESOURCE);
    }
}
