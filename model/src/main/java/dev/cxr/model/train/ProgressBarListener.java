package dev.cxr.model.train;

import java.io.PrintWriter;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A progress bar per epoch (me.tongfei:progressbar) with the running loss and accuracy, redrawn in
 * place on the given writer (stderr in the CLI), then one line per epoch with the validation
 * numbers, as Keras prints them. Where the output is not a terminal (a log file, CI), the bar is left
 * out and only the per-epoch lines are written, since redrawn lines only clutter a log.
 */
public final class ProgressBarListener implements TrainingListener {
    private static final int WIDTH = 100;
    private final PrintWriter out;
    private final boolean drawBar;
    private ProgressBar bar;

    /** @param drawBar whether to draw the per-step bar (true on a terminal) */
    public ProgressBarListener(PrintWriter out, boolean drawBar) {
        this.out = out;
        this.drawBar = drawBar;
    }

    @Override
    public void epochStarted(int epoch, int epochs, int steps) {
        if (!drawBar) {
            return;
        }
        bar = new ProgressBarBuilder()
                .setTaskName(String.format(Locale.ROOT, "Epoch %d/%d", epoch, epochs))
                .setInitialMax(steps)
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(250)
                .setConsumer(new RedrawnLine(out))
                .hideEta()
                .build();
    }

    @Override
    public void stepFinished(
            int epoch,
            int step,
            int batchSize,
            float loss,
            float learningRate,
            double runningLoss,
            double runningAccuracy) {
        if (bar == null) {
            return;
        }
        bar.setExtraMessage(String.format(Locale.ROOT, "loss %.4f accuracy %.4f", runningLoss, runningAccuracy));
        bar.step();
    }

    @Override
    public void epochFinished(EpochMetrics m, double seconds) {
        if (bar != null) {
            bar.close();
            bar = null;
        }
        out.printf(
                Locale.ROOT,
                "Epoch %d: %.1fs - loss %.4f - accuracy %.4f - val_loss %.4f - val_accuracy %.4f%n",
                m.epoch(),
                seconds,
                m.loss(),
                m.accuracy(),
                m.valLoss(),
                m.valAccuracy());
        out.flush();
    }

    /** Draws the bar over itself with a carriage return; ends the line when the bar closes. */
    private static final class RedrawnLine implements ProgressBarConsumer {
        private final PrintWriter out;

        RedrawnLine(PrintWriter out) {
            this.out = out;
        }

        @Override
        public int getMaxRenderedLength() {
            return WIDTH;
        }

        @Override
        public void accept(String rendered) {
            out.print('\r');
            out.print(rendered);
            out.flush();
        }

        @Override
        public void close() {
            out.println();
            out.flush();
        }
    }
}
