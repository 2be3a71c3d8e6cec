package dev.cxr.model.html;

import dev.cxr.model.eval.AucInterval;
import dev.cxr.model.eval.BinaryEvaluation;
import dev.cxr.model.eval.Calibration;
import dev.cxr.model.eval.ClassificationMetrics;
import dev.cxr.model.eval.OperatingPoint;
import dev.cxr.model.eval.Report;
import dev.cxr.model.eval.Wilson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The page of a classifier's {@link Report} ({@code cxr train}, {@code evaluate}, a fold, the pooled
 * folds): the run's settings and notes, the metrics with their intervals, the confusion matrix, the
 * plots written beside it ({@code roc.png}, {@code calibration.png}, and {@code plot.png}, the
 * training curves, where there is one), sections the caller adds, the gallery, and the images
 * that could not be used.
 */
public final class ReportPages {
    /** The plots taken from the report's folder when present, with their captions. */
    static final Map<String, String> PLOTS = plots();

    private ReportPages() {}

    private static Map<String, String> plots() {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        m.put("roc.png", "ROC curve (roc.png): the true and false positive rates at every threshold.");
        m.put(
                "calibration.png",
                "Reliability diagram (calibration.png): in each of 10 bins of p, the mean p against"
                        + " the share of images that are truly positive; on the diagonal the probabilities can be taken at their word.");
        m.put(
                "plot.png",
                "Training curves (plot.png): loss and accuracy per epoch, on the training images and on the"
                        + " images measured here.");
        return m;
    }

    /**
     * @param dir     where the report's plots were written
     * @param extra   further sections, shown after the plots (the folds)
     * @param gallery the images, or null for none
     */
    public static Page of(Report report, Path dir, List<Page.Section> extra, Page.Gallery gallery) {
        List<Page.Section> sections = new ArrayList<>();
        List<Page.Fact> facts = new ArrayList<>();
        report.settings().forEach((k, v) -> facts.add(new Page.Fact(k, String.valueOf(v))));
        List<Page.Block> run = new ArrayList<>();
        run.add(new Page.Facts(facts));
        run.addAll(notes(report.notes()));
        sections.add(new Page.Section("run", "Run", run));
        sections.add(new Page.Section("metrics", "Metrics", metrics(report)));
        List<Page.Figure> figures = new ArrayList<>();
        PLOTS.forEach((file, caption) -> {
            if (Files.isRegularFile(dir.resolve(file))) {
                figures.add(Pictures.png(dir.resolve(file), caption));
            }
        });
        if (!figures.isEmpty()) {
            sections.add(Page.Section.of("plots", "Plots", new Page.Figures(figures)));
        }
        sections.addAll(extra);
        if (gallery != null) {
            sections.add(Page.Section.of("gallery", "Gallery", gallery));
        }
        Object skipped = report.extra().get("skipped");
        if (skipped instanceof List<?> list && !list.isEmpty()) {
            sections.add(Page.Section.of(
                    "skipped",
                    "Images not used",
                    new Page.Text(list.stream().map(String::valueOf).toList())));
        }
        return new Page(report.title(), Report.DISCLAIMER, null, sections);
    }

    /**
     * The report's notes as text, with each run of indented lines (a table laid out for report.txt)
     * kept as it is: HTML would collapse its spaces.
     */
    static List<Page.Block> notes(List<String> notes) {
        List<Page.Block> blocks = new ArrayList<>();
        List<String> run = new ArrayList<>();
        boolean indented = false;
        for (String note : notes) {
            boolean i = note.startsWith("  ");
            if (i != indented && !run.isEmpty()) {
                blocks.add(new Page.Text(run, indented));
                run = new ArrayList<>();
            }
            indented = i;
            run.add(note);
        }
        if (!run.isEmpty()) {
            blocks.add(new Page.Text(run, indented));
        }
        return blocks;
    }

    private static List<Page.Block> metrics(Report report) {
        ClassificationMetrics m = report.metrics();
        BinaryEvaluation e = report.evaluation();
        List<String> classes = m.classes();
        String positive = classes.get(ClassificationMetrics.POSITIVE);
        List<List<String>> rows = new ArrayList<>();
        rows.add(wilson("accuracy", m.accuracy(), "images called right (the larger probability)"));
        rows.add(wilson("sensitivity", m.sensitivity(), positive + " images called " + positive + ", at 0.5"));
        rows.add(wilson("specificity", m.specificity(), "other images not called " + positive + ", at 0.5"));
        AucInterval auc = e.rocAuc();
        rows.add(auc(
                "ROC-AUC",
                auc,
                "p(" + positive + ") as the score; " + auc.positives() + " " + positive + " and " + auc.negatives()
                        + " other images"));
        if (e.rocAucBootstrap() != null) {
            rows.add(auc("ROC-AUC", e.rocAucBootstrap(), "the same area, another interval"));
        }
        OperatingPoint y = e.youden();
        String at = Double.isNaN(y.threshold())
                ? "Youden threshold"
                : String.format(Locale.ROOT, "at Youden's threshold %.4f", y.threshold());
        rows.add(wilson("sensitivity " + at, y.sensitivity(), "chosen on these images: optimistic"));
        rows.add(wilson("specificity " + at, y.specificity(), "chosen on these images: optimistic"));
        Calibration c = e.calibration();
        rows.add(List.of(
                "Brier score",
                num(c.brier()),
                String.valueOf(e.images()),
                "",
                "mean of (p - y)^2: 0 is perfect, always answering 0.5 scores 0.25"));
        rows.add(List.of(
                "ECE",
                num(c.expectedCalibrationError()),
                String.valueOf(e.images()),
                "",
                "expected calibration error over " + c.bins().size() + " bins of width "
                        + 1.0 / c.bins().size()));
        List<Page.Block> blocks = new ArrayList<>();
        blocks.add(new Page.Table(null, List.of("measure", "value", "images", "95% interval", "what"), rows, true));
        List<String> notes = new ArrayList<>();
        if (auc.degenerate()) {
            notes.add("ROC-AUC is " + num(auc.auc()) + ": " + Report.DEGENERATE + ".");
        }
        notes.add("Youden's threshold maximises sensitivity + specificity - 1 on the very images it is reported on,"
                + " so its figures are optimistic: it is not a threshold validated for use. The 0.5 figures involve no"
                + " such choice.");
        blocks.add(new Page.Text(notes));

        List<List<String>> perClass = new ArrayList<>();
        for (int k = 0; k < classes.size(); k++) {
            perClass.add(List.of(
                    classes.get(k),
                    num(m.precision()[k]),
                    num(m.recall()[k]),
                    num(m.f1()[k]),
                    String.valueOf(m.support()[k])));
        }
        blocks.add(new Page.Table(
                "Per class", List.of("class", "precision", "recall", "f1-score", "support"), perClass, true));
        List<String> header = new ArrayList<>();
        header.add("true \\ predicted");
        header.addAll(classes);
        List<List<String>> cm = new ArrayList<>();
        for (int t = 0; t < classes.size(); t++) {
            List<String> row = new ArrayList<>();
            row.add(classes.get(t));
            for (int p = 0; p < classes.size(); p++) {
                row.add(String.valueOf(m.confusion()[t][p]));
            }
            cm.add(row);
        }
        blocks.add(new Page.Table("Confusion matrix (rows: true class, columns: predicted class)", header, cm, true));
        return blocks;
    }

    private static List<String> wilson(String name, Wilson w, String what) {
        if (w.n() == 0) {
            return List.of(name, "n/a", "0", "", what);
        }
        return List.of(
                name,
                num(w.estimate()),
                w.successes() + "/" + w.n(),
                String.format(Locale.ROOT, "%.4f-%.4f (Wilson)", w.lower(), w.upper()),
                what);
    }

    private static List<String> auc(String name, AucInterval a, String what) {
        String interval = Double.isNaN(a.lower())
                ? "n/a"
                : String.format(Locale.ROOT, "%.4f-%.4f (%s)", a.lower(), a.upper(), a.method());
        return List.of(name, num(a.auc()), String.valueOf(a.positives() + a.negatives()), interval, what);
    }

    static String num(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.4f", v);
    }
}
