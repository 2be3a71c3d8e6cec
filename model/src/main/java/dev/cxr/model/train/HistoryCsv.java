package dev.cxr.model.train;

import dev.cxr.engine.io.AtomicFiles;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code history.csv}: one row per epoch, as Keras's History holds it: epoch, loss, accuracy,
 * val_loss, val_accuracy, and the learning rate of the epoch's last step. Numbers are written in
 * Java's shortest exact form, so two runs compare bit for bit.
 */
public final class HistoryCsv {
    public static final String HEADER = "epoch,loss,accuracy,val_loss,val_accuracy,lr";

    private HistoryCsv() {}

    public static String text(List<EpochMetrics> history) {
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        for (EpochMetrics m : history) {
            sb.append(m.epoch())
                    .append(',')
                    .append(m.loss())
                    .append(',')
                    .append(m.accuracy())
                    .append(',')
                    .append(m.valLoss())
                    .append(',')
                    .append(m.valAccuracy())
                    .append(',')
                    .append(m.learningRate())
                    .append('\n');
        }
        return sb.toString();
    }

    public static void write(Path file, List<EpochMetrics> history) {
        AtomicFiles.writeString(file, text(history));
    }
}
