package dev.cxr.model.eval;

import dev.cxr.engine.io.AtomicFiles;
import java.awt.Color;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The evaluation's two pictures, drawn with XChart and written atomically: {@code roc.png}, the ROC
 * curve with its AUC and interval in the legend, and {@code calibration.png}, the reliability diagram
 * (mean probability against the share of positives in each non-empty bin; the diagonal is perfect
 * calibration).
 */
public final class EvaluationPlots {
    public static final int SIZE = 600;

    private EvaluationPlots() {}

    public static XYChart rocChart(RocCurve roc, AucInterval auc, String title) {
        XYChart chart = square(title, "False positive rate (1 - specificity)", "True positive rate (sensitivity)");
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
        diagonal(chart, "chance");
        List<Double> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        for (RocCurve.Point p : roc.points()) {
            if (!Double.isNaN(p.falsePositiveRate()) && !Double.isNaN(p.truePositiveRate())) {
                x.add(p.falsePositiveRate());
                y.add(p.truePositiveRate());
            }
        }
        if (x.isEmpty()) {
            x.add(0.0);
            y.add(0.0);
        }
        String name = Double.isNaN(auc.auc())
                ? "ROC (AUC n/a: one class only)"
                : Double.isNaN(auc.lower())
                        ? String.format(Locale.ROOT, "ROC, AUC %.3f", auc.auc())
                        : String.format(
                                Locale.ROOT, "ROC, AUC %.3f (95%% %.3f-%.3f)", auc.auc(), auc.lower(), auc.upper());
        XYSeries s = chart.addSeries(name, x, y);
        s.setMarker(SeriesMarkers.CIRCLE);
        s.setLineColor(new Color(0x1f, 0x77, 0xb4));
        s.setMarkerColor(new Color(0x1f, 0x77, 0xb4));
        return chart;
    }

    public static XYChart calibrationChart(Calibration calibration, String title) {
        XYChart chart = square(title, "Mean predicted probability", "Fraction of positives");
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        diagonal(chart, "perfectly calibrated");
        List<Double> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        for (Calibration.Bin b : calibration.bins()) {
            if (b.count() > 0) {
                x.add(b.meanProbability());
                y.add(b.fractionPositive());
            }
        }
        if (x.isEmpty()) {
            x.add(0.0);
            y.add(0.0);
        }
        String name = Double.isNaN(calibration.brier())
                ? "no images"
                : String.format(
                        Locale.ROOT,
                        "%d bins: Brier %.3f, ECE %.3f",
                        calibration.bins().size(),
                        calibration.brier(),
                        calibration.expectedCalibrationError());
        XYSeries s = chart.addSeries(name, x, y);
        s.setMarker(SeriesMarkers.SQUARE);
        s.setLineColor(new Color(0xd6, 0x27, 0x28));
        s.setMarkerColor(new Color(0xd6, 0x27, 0x28));
        return chart;
    }

    public static void writeRoc(Path file, RocCurve roc, AucInterval auc, String title) {
        write(file, rocChart(roc, auc, title));
    }

    public static void writeCalibration(Path file, Calibration calibration, String title) {
        write(file, calibrationChart(calibration, title));
    }

    private static void write(Path file, XYChart chart) {
        AtomicFiles.write(file, out -> BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG));
    }

    private static XYChart square(String title, String xTitle, String yTitle) {
        XYChart chart = new XYChartBuilder()
                .width(SIZE)
                .height(SIZE)
                .title(title)
                .xAxisTitle(xTitle)
                .yAxisTitle(yTitle)
                .build();
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setXAxisMin(0.0).setXAxisMax(1.0).setYAxisMin(0.0).setYAxisMax(1.0);
        chart.getStyler().setDecimalPattern("0.0#");
        return chart;
    }

    private static void diagonal(XYChart chart, String name) {
        XYSeries d = chart.addSeries(name, new double[] {0, 1}, new double[] {0, 1});
        d.setMarker(SeriesMarkers.NONE);
        d.setLineStyle(SeriesLines.DASH_DASH);
        d.setLineColor(Color.GRAY);
    }
}
