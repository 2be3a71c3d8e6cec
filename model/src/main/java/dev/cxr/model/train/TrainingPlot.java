package dev.cxr.model.train;

import dev.cxr.engine.io.AtomicFiles;
import java.awt.Color;
import java.nio.file.Path;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * {@code plot.png}: training and validation loss and accuracy per epoch on one chart, as the
 * tutorial's matplotlib plot ("Training Loss and Accuracy on COVID-19 Dataset", x "Epoch #",
 * y "Loss/Accuracy"), drawn with XChart, 800x600.
 */
public final class TrainingPlot {
    public static final int WIDTH = 800;
    public static final int HEIGHT = 600;

    private TrainingPlot() {}

    public static XYChart chart(List<EpochMetrics> history) {
        XYChart chart = new XYChartBuilder()
                .width(WIDTH)
                .height(HEIGHT)
                .title("Training Loss and Accuracy on COVID-19 Dataset")
                .xAxisTitle("Epoch #")
                .yAxisTitle("Loss/Accuracy")
                .build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setDecimalPattern("0.##");
        int n = history.size();
        double[] x = new double[n];
        double[][] y = new double[4][n];
        for (int i = 0; i < n; i++) {
            EpochMetrics m = history.get(i);
            x[i] = m.epoch();
            y[0][i] = m.loss();
            y[1][i] = m.valLoss();
            y[2][i] = m.accuracy();
            y[3][i] = m.valAccuracy();
        }
        String[] names = {"train_loss", "val_loss", "train_acc", "val_acc"};
        for (int s = 0; s < 4; s++) {
            chart.addSeries(names[s], x, y[s]).setMarker(n == 1 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
        }
        return chart;
    }

    /** Renders the chart to a PNG, written atomically. */
    public static void write(Path file, List<EpochMetrics> history) {
        XYChart chart = chart(history);
        AtomicFiles.write(file, out -> BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG));
    }
}
