package dev.cxr.model.train;

import java.io.PrintStream;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A progress bar per epoch on the given stream (stderr in the CLI) with the running loss and
 * accuracy, then one line per epoch with the validation numbers, as Keras prints them.
 */
public final class ProgressBarListener implements TrainingListener {
    private final PrintStream out;
    private ProgressBar bar;

    public ProgressBarListener(PrintStream out) {
        this.out = out;
    }

    @Override
    public void epochStarted(int epoch, int epochs, int steps) {
        bar = new ProgressBarBuilder()
                .setTaskName(String.format(Locale.ROOT, "Epoch %d/%d", epoch, epochs))
                .setInitialMax(steps)
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(250)
                .setConsumer(new ConsoleProgressBarConsumer(out, 100))
                .hideEta()
                .build();
    }

    @Override
    public void stepFinished(int epoch, int step, int batchSize, float loss, float learningRate,
                             double runningLoss, double runningAccuracy) {
        bar.setExtraMessage(String.format(Locale.ROOT, "loss %.4f acc %.4f", runningLoss, runningAccuracy));
        bar.step();
    }

    @Override
    public void epochFinished(EpochMetrics m, double seconds) {
        bar.close();
        out.printf(Locale.ROOT, "Epoch %d: %.1fs - loss %.4f - accuracy %.4f - val_loss %.4f - val_accuracy %.4f%n",
                m.epoch(), seconds, m.loss(), m.accuracy(), m.valLoss(), m.valAccuracy());
        out.flush();
    }
}
