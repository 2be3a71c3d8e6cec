package dev.cxr.model.eval;

import dev.cxr.engine.io.AtomicFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A report of a classifier on a set of images, written as text ({@code report.txt}, what the tutorial
 * printed and more), JSON ({@code report.json}, the same numbers for programs, written by
 * {@link Jackson}: maps in their order, NaN as null) and two plots ({@code roc.png},
 * {@code calibration.png}). Besides the tutorial's metrics it has the {@link BinaryEvaluation} of the
 * labelled images: ROC-AUC with DeLong's 95% interval (and a seeded bootstrap one), calibration,
 * and the operating points at 0.5 and at Youden's threshold. Every report carries the line that the
 * results are educational and not a diagnosis.
 *
 * @param title      what was measured ("cxr train: test split")
 * @param settings   how: dataset, preprocessing, seed, weights md5, device... in display order
 * @param evaluation the labelled predictions' binary evaluation (covid against the rest)
 * @param notes      lines for a person (how the split treats patients, a fold summary), printed after
 *                   the metrics
 * @param extra      further JSON sections (history, skipped files), not printed in the text
 */
public record Report(
        String title,
        Map<String, Object> settings,
        ClassificationMetrics metrics,
        BinaryEvaluation evaluation,
        List<Prediction> predictions,
        List<String> notes,
        Map<String, Object> extra) {

    public static final String DISCLAIMER =
            "Educational only: cxr is not a medical device and these results are not a diagnosis.";

    /** The files {@link #writeTo} writes. */
    public static final List<String> FILES = List.of("report.txt", "report.json", "roc.png", "calibration.png");

    public Report {
        settings = new LinkedHashMap<>(settings);
        predictions = List.copyOf(predictions);
        notes = List.copyOf(notes);
        extra = new LinkedHashMap<>(extra);
    }

    /**
     * The report with the binary evaluation of its labelled predictions.
     *
     * @param bootstrapSeed seed of the bootstrap interval of the ROC-AUC (the run's seed), or null for
     *                      DeLong's alone
     */
    public static Report of(
            String title,
            Map<String, Object> settings,
            ClassificationMetrics metrics,
            List<Prediction> predictions,
            List<String> notes,
            Map<String, Object> extra,
            Long bootstrapSeed) {
        List<Prediction> labelled =
                predictions.stream().filter(p -> p.label() >= 0).toList();
        return new Report(
                title,
                settings,
                metrics,
                BinaryEvaluation.of(Scored.of(labelled), bootstrapSeed),
                predictions,
                notes,
                extra);
    }

    /** Writes report.txt, report.json, roc.png and calibration.png into {@code dir}, each atomically. */
    public void writeTo(Path dir) {
        AtomicFiles.writeString(dir.resolve("report.txt"), text());
        AtomicFiles.writeString(dir.resolve("report.json"), json());
        String positive = metrics.classes().get(ClassificationMetrics.POSITIVE);
        EvaluationPlots.writeRoc(
                dir.resolve("roc.png"),
                evaluation.roc(),
                evaluation.rocAuc(),
                "ROC, " + positive + " against the rest (" + evaluation.images() + " images)");
        EvaluationPlots.writeCalibration(
                dir.resolve("calibration.png"),
                evaluation.calibration(),
                "Reliability of p(" + positive + ") (" + evaluation.images() + " images)");
    }

    public String text() {
        List<String> classes = metrics.classes();
        StringBuilder sb = new StringBuilder();
        sb.append(title).append('\n').append(DISCLAIMER).append("\n\n");
        int keyWidth = settings.keySet().stream().mapToInt(String::length).max().orElse(0) + 1;
        for (Map.Entry<String, Object> e : settings.entrySet()) {
            sb.append(String.format(Locale.ROOT, "%-" + keyWidth + "s %s%n", e.getKey() + ":", e.getValue()));
        }
        int nameWidth =
                Math.max(12, classes.stream().mapToInt(String::length).max().orElse(0));
        String row = "%" + nameWidth + "s %10s %10s %10s %9s%n";
        String num = "%" + nameWidth + "s %10.4f %10.4f %10.4f %9d%n";
        sb.append('\n').append(String.format(Locale.ROOT, row, "", "precision", "recall", "f1-score", "support"));
        int n = 0;
        for (int c = 0; c < classes.size(); c++) {
            sb.append(String.format(
                    Locale.ROOT,
                    num,
                    classes.get(c),
                    metrics.precision()[c],
                    metrics.recall()[c],
                    metrics.f1()[c],
                    metrics.support()[c]));
            n += metrics.support()[c];
        }
        sb.append(String.format(
                Locale.ROOT,
                "%" + nameWidth + "s %10s %10s %10.4f %9d%n",
                "accuracy",
                "",
                "",
                metrics.accuracy().estimate(),
                n));
        sb.append(String.format(
                Locale.ROOT,
                num,
                "macro avg",
                ClassificationMetrics.macro(metrics.precision()),
                ClassificationMetrics.macro(metrics.recall()),
                ClassificationMetrics.macro(metrics.f1()),
                n));
        sb.append(String.format(
                Locale.ROOT,
                num,
                "weighted avg",
                metrics.weighted(metrics.precision()),
                metrics.weighted(metrics.recall()),
                metrics.weighted(metrics.f1()),
                n));

        sb.append("\nconfusion matrix (rows: true class, columns: predicted class)\n");
        sb.append(String.format(Locale.ROOT, "%" + nameWidth + "s", ""));
        for (String c : classes) {
            sb.append(String.format(Locale.ROOT, " %" + Math.max(8, c.length()) + "s", c));
        }
        sb.append('\n');
        for (int t = 0; t < classes.size(); t++) {
            sb.append(String.format(Locale.ROOT, "%" + nameWidth + "s", classes.get(t)));
            for (int p = 0; p < classes.size(); p++) {
                sb.append(String.format(
                        Locale.ROOT, " %" + Math.max(8, classes.get(p).length()) + "d", metrics.confusion()[t][p]));
            }
            sb.append('\n');
        }
        String positive = classes.get(ClassificationMetrics.POSITIVE);
        sb.append('\n');
        sb.append(line("accuracy", metrics.accuracy(), "all images"));
        sb.append(line(
                "sensitivity",
                metrics.sensitivity(),
                positive + " recall: " + positive + " images called " + positive));
        sb.append(line("specificity", metrics.specificity(), "other images not called " + positive));
        sb.append(evaluationText(evaluation, positive));
        if (!notes.isEmpty()) {
            sb.append('\n');
            for (String note : notes) {
                sb.append(note).append('\n');
            }
        }

        List<Prediction> wrong = predictions.stream()
                .filter(p -> p.label() >= 0 && p.label() != p.predicted())
                .toList();
        sb.append('\n').append(wrong.isEmpty() ? "no image misclassified\n" : "misclassified:\n");
        for (Prediction p : wrong) {
            sb.append("  ")
                    .append(p.path())
                    .append(": true ")
                    .append(classes.get(p.label()))
                    .append(", predicted ")
                    .append(classes.get(p.predicted()))
                    .append(" (")
                    .append(probs(classes, p.probabilities()))
                    .append(")\n");
        }
        sb.append('\n').append(DISCLAIMER).append('\n');
        return sb.toString();
    }

    /**
     * The ROC-AUC with its intervals, the operating points at 0.5 and at Youden's threshold, and the
     * calibration: the lines every report prints after accuracy, sensitivity and specificity.
     */
    public static String evaluationText(BinaryEvaluation e, String positive) {
        StringBuilder sb = new StringBuilder();
        AucInterval auc = e.rocAuc();
        if (Double.isNaN(auc.auc())) {
            sb.append(String.format(Locale.ROOT, "%-12s n/a (needs both %s and other images)%n", "ROC-AUC", positive));
            sb.append(String.format(Locale.ROOT, "%-12s n/a%n", "calibration"));
            return sb.toString();
        }
        sb.append(String.format(
                Locale.ROOT,
                "%-12s %.4f  (p(%s) as the score; %d %s and %d other images)%n",
                "ROC-AUC",
                auc.auc(),
                positive,
                auc.positives(),
                positive,
                auc.negatives()));
        sb.append(String.format(Locale.ROOT, "%-12s %s%n", "", interval("DeLong", auc)));
        if (e.rocAucBootstrap() != null) {
            sb.append(String.format(Locale.ROOT, "%-12s %s%n", "", interval("bootstrap", e.rocAucBootstrap())));
        }
        if (auc.degenerate()) {
            sb.append(String.format(Locale.ROOT, "%-12s %s%n", "", DEGENERATE));
        }
        sb.append(String.format(Locale.ROOT, "%-12s %s%n", "at 0.5", point(e.atHalf())));
        OperatingPoint y = e.youden();
        sb.append(String.format(
                Locale.ROOT,
                "%-12s threshold %.4f: %s, J %.4f%n",
                "at Youden J",
                y.threshold(),
                point(y),
                y.youdenJ()));
        sb.append(String.format(Locale.ROOT, "%-12s %s%n", "", YOUDEN_CAUTION));
        Calibration c = e.calibration();
        sb.append(String.format(
                Locale.ROOT,
                "%-12s Brier %.4f, ECE %.4f over %d bins of width %.1f (calibration.png)%n",
                "calibration",
                c.brier(),
                c.expectedCalibrationError(),
                c.bins().size(),
                1.0 / c.bins().size()));
        return sb.toString();
    }

    /** What a report says when the AUC is 0 or 1. */
    public static final String DEGENERATE = "every positive image is ranked on one side of every other: both intervals"
            + " shrink to the point and say nothing of how sure the value is";

    /** What a report says of the Youden threshold. */
    public static final String YOUDEN_CAUTION = "(the Youden threshold is chosen on these same images, so its figures"
            + " are optimistic: it is not a threshold validated for use)";

    /** "95% DeLong interval 0.8123-0.9876" or why there is none. */
    public static String interval(String name, AucInterval a) {
        if (Double.isNaN(a.lower())) {
            return "no " + name + " interval (needs at least 2 images of each side)";
        }
        return String.format(Locale.ROOT, "95%% %s interval %.4f-%.4f (%s)", name, a.lower(), a.upper(), a.method());
    }

    private static String point(OperatingPoint p) {
        return "sensitivity " + proportion(p.sensitivity()) + ", specificity " + proportion(p.specificity());
    }

    /** "0.8000 (4/5, 95% Wilson 0.3755-0.9638)", or "n/a (no images)". */
    public static String proportion(Wilson w) {
        if (w.n() == 0) {
            return "n/a (no images)";
        }
        return String.format(
                Locale.ROOT,
                "%.4f (%d/%d, 95%% Wilson %.4f-%.4f)",
                w.estimate(),
                w.successes(),
                w.n(),
                w.lower(),
                w.upper());
    }

    private static String line(String name, Wilson w, String what) {
        if (w.n() == 0) {
            return String.format(Locale.ROOT, "%-12s n/a (no images: %s)%n", name, what);
        }
        return String.format(
                Locale.ROOT,
                "%-12s %.4f  (%d/%d; 95%% Wilson interval %.4f-%.4f; %s)%n",
                name,
                w.estimate(),
                w.successes(),
                w.n(),
                w.lower(),
                w.upper(),
                what);
    }

    private static String probs(List<String> classes, float[] p) {
        List<String> parts = new ArrayList<>();
        for (int c = 0; c < classes.size(); c++) {
            parts.add(String.format(Locale.ROOT, "p(%s) = %.4f", classes.get(c), p[c]));
        }
        return String.join(", ", parts);
    }

    public String json() {
        List<String> classes = metrics.classes();
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("title", title);
        root.put("disclaimer", DISCLAIMER);
        root.put("settings", settings);
        root.put("classes", classes);
        Map<String, Object> m = new LinkedHashMap<>();
        Map<String, Object> perClass = new LinkedHashMap<>();
        for (int c = 0; c < classes.size(); c++) {
            perClass.put(
                    classes.get(c),
                    ordered(
                            "precision",
                            metrics.precision()[c],
                            "recall",
                            metrics.recall()[c],
                            "f1",
                            metrics.f1()[c],
                            "support",
                            metrics.support()[c]));
        }
        m.put("per_class", perClass);
        m.put(
                "macro_avg",
                ordered(
                        "precision",
                        ClassificationMetrics.macro(metrics.precision()),
                        "recall",
                        ClassificationMetrics.macro(metrics.recall()),
                        "f1",
                        ClassificationMetrics.macro(metrics.f1())));
        m.put(
                "weighted_avg",
                ordered(
                        "precision",
                        metrics.weighted(metrics.precision()),
                        "recall",
                        metrics.weighted(metrics.recall()),
                        "f1",
                        metrics.weighted(metrics.f1())));
        List<Object> cm = new ArrayList<>();
        for (int[] r : metrics.confusion()) {
            cm.add(java.util.Arrays.stream(r).boxed().toList());
        }
        m.put("confusion_matrix", cm);
        m.put("confusion_matrix_axes", "rows: true class, columns: predicted class, in the order of 'classes'");
        m.put("accuracy", wilson(metrics.accuracy()));
        m.put("positive_class", classes.get(ClassificationMetrics.POSITIVE));
        m.put("sensitivity", wilson(metrics.sensitivity()));
        m.put("specificity", wilson(metrics.specificity()));
        m.put("roc_auc", metrics.rocAuc());
        root.put("metrics", m);
        root.put("evaluation", evaluation);
        root.put("notes", notes);
        List<Object> preds = new ArrayList<>();
        for (Prediction p : predictions) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("path", p.path());
            e.put("true", p.label() >= 0 ? classes.get(p.label()) : null);
            e.put("predicted", classes.get(p.predicted()));
            Map<String, Object> probs = new LinkedHashMap<>();
            for (int c = 0; c < classes.size(); c++) {
                probs.put(classes.get(c), (double) p.probabilities()[c]);
            }
            e.put("probabilities", probs);
            preds.add(e);
        }
        root.put("predictions", preds);
        root.putAll(extra);
        return Jackson.write(root);
    }

    /** A map that keeps the given key order (Map.of's order changes from run to run). */
    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }

    private static Map<String, Object> wilson(Wilson w) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("value", w.estimate());
        m.put("k", w.successes());
        m.put("n", w.n());
        m.put("ci95_wilson", java.util.Arrays.asList(w.lower(), w.upper()));
        return m;
    }
}
