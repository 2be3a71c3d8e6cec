package dev.cxr.model.train;

import dev.cxr.model.data.ImageFolder;
import dev.cxr.model.data.Sample;
import dev.cxr.model.data.StratifiedSplit;
import dev.cxr.model.eval.BinaryEvaluation;
import dev.cxr.model.eval.ClassificationMetrics;
import dev.cxr.model.eval.FoldSummary;
import dev.cxr.model.eval.Prediction;
import dev.cxr.model.eval.Report;
import dev.cxr.model.features.ImageResult;
import dev.cxr.model.html.Page;
import dev.cxr.model.html.Pictures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The reports of a cross-validation ({@link CrossValidation}): the pooled report of every image's
 * out-of-fold prediction, and the folds' sections of its report.html.
 */
final class CrossValidationReport {
    private CrossValidationReport() {}

    static Report pooled(
            List<TrainingRun.Result> folds,
            TrainingRun.Data data,
            List<StratifiedSplit.Indices> splits,
            FoldSummary summary,
            ClassificationMetrics metrics,
            List<Prediction> predictions,
            TrainConfig config,
            String how,
            String timing,
            int[] foldOf,
            List<Double> foldSeconds,
            String device) {
        ImageFolder dataset = data.dataset();
        int k = folds.size();
        TrainingRun.Result first = folds.get(0);
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("dataset", dataset.root().toAbsolutePath().toString());
        s.put(
                "images",
                dataset.samples().size() + " (" + TrainingReport.counts(dataset) + ")"
                        + (data.skipped().isEmpty() ? "" : ", " + data.skipped().size() + " skipped"));
        s.put("cross-validation", how + "; each image scored once, by the model of the fold that held it out");
        s.put("fold sizes", CrossValidation.sizes(splits) + " test images");
        s.put("preprocessing", config.preprocessing().toString());
        s.put(
                "augmentation",
                config.augment()
                        ? "random rotation within +-" + (int) TrainConfig.ROTATION_DEGREES
                                + " degrees, nearest fill, in every fold"
                        : "off");
        s.put("epochs", config.epochs());
        s.put("batch size", config.batchSize());
        s.put(
                "optimizer",
                String.format(
                        Locale.ROOT,
                        "Adam lr %s, decay lr/epochs = %s per step",
                        config.learningRate(),
                        config.decay()));
        s.put("loss", "binary cross-entropy on the softmax probabilities (tf.keras 2.x)");
        s.put("head", first.model().head());
        s.put(
                "seed",
                config.seed() + " (folds, bootstrap, and each fold's initial weights, dropout, shuffling and"
                        + " augmentation)");
        s.put("weights", first.model().baseWeightsHint());
        s.put("weights md5", first.model().baseMd5());
        s.put("device", device);
        s.put("time", timing);

        List<String> notes = new ArrayList<>(TrainingRun.groupNotes(data, splits, "images"));
        notes.add("The figures above pool every image's out-of-fold prediction. Over the " + k + " folds' own figures"
                + " (mean +- sd):");
        FoldSummary.OverFolds o = summary.overFolds();
        notes.add("  " + meanSd("ROC-AUC", o.rocAuc()) + "; " + meanSd("accuracy", o.accuracy()) + "; "
                + meanSd("sensitivity", o.sensitivity()) + "; " + meanSd("specificity", o.specificity()));
        notes.add("  " + meanSd("Brier", o.brier()) + "; " + meanSd("ECE", o.expectedCalibrationError()));
        notes.add(String.format(
                Locale.ROOT,
                "  %-6s %5s %9s %12s %12s %8s %8s",
                "fold",
                "test",
                "accuracy",
                "sensitivity",
                "specificity",
                "ROC-AUC",
                "time"));
        for (int f = 0; f < k; f++) {
            BinaryEvaluation e = summary.folds().get(f);
            notes.add(String.format(
                    Locale.ROOT,
                    "  %-6s %5d %9s %12s %12s %8s %7.1fs",
                    CrossValidation.foldFolder(f),
                    e.images(),
                    fraction(e.accuracy()),
                    fraction(e.atHalf().sensitivity()),
                    fraction(e.atHalf().specificity()),
                    num(e.rocAuc().auc()),
                    foldSeconds.get(f)));
        }
        notes.add("Each fold's model and reports are in " + CrossValidation.foldFolder(0) + "/ ... "
                + CrossValidation.foldFolder(k - 1) + "/.");

        Map<String, Object> extra = new LinkedHashMap<>(TrainingRun.groupsJson(data, splits));
        Map<String, Object> cv = new LinkedHashMap<>();
        cv.put("folds", k);
        cv.put("grouped", data.groups().fromFile());
        cv.put("seed", config.seed());
        List<Map<String, Object>> each = new ArrayList<>();
        for (int f = 0; f < k; f++) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("fold", f + 1);
            m.put("folder", CrossValidation.foldFolder(f));
            m.put("seconds", foldSeconds.get(f));
            m.put(
                    "test_paths",
                    folds.get(f).test().stream().map(Sample::relativePath).toList());
            m.put("evaluation", summary.folds().get(f));
            each.add(m);
        }
        cv.put("per_fold", each);
        cv.put("over_folds", summary.overFolds());
        List<Integer> fold = new ArrayList<>();
        for (int f : foldOf) {
            fold.add(f + 1);
        }
        cv.put("fold_of_each_prediction", fold);
        extra.put("cross_validation", cv);
        extra.put("skipped", data.skipped().stream().map(ImageResult::error).toList());
        return new Report(
                "cxr train --folds " + k + ": every image's out-of-fold prediction (" + predictions.size() + " images)",
                s,
                metrics,
                summary.pooled(),
                predictions,
                notes,
                extra);
    }

    /** The folds' table, the mean +- sd over folds, and each fold's training curves, for report.html. */
    static List<Page.Section> foldSections(
            Path out, FoldSummary summary, List<TrainingRun.Result> folds, List<Double> foldSeconds) {
        List<List<String>> rows = new ArrayList<>();
        for (int f = 0; f < folds.size(); f++) {
            BinaryEvaluation e = summary.folds().get(f);
            rows.add(List.of(
                    CrossValidation.foldFolder(f),
                    String.valueOf(e.images()),
                    e.positives() + " / " + e.negatives(),
                    fraction(e.accuracy()),
                    fraction(e.atHalf().sensitivity()),
                    fraction(e.atHalf().specificity()),
                    num(e.rocAuc().auc()),
                    num(e.calibration().brier()),
                    String.format(Locale.ROOT, "%.1f s", foldSeconds.get(f))));
        }
        FoldSummary.OverFolds o = summary.overFolds();
        List<List<String>> over = List.of(
                List.of("ROC-AUC", ms(o.rocAuc())), List.of("accuracy", ms(o.accuracy())),
                List.of("sensitivity at 0.5", ms(o.sensitivity())), List.of("specificity at 0.5", ms(o.specificity())),
                List.of("Brier score", ms(o.brier())), List.of("ECE", ms(o.expectedCalibrationError())));
        List<Page.Figure> curves = new ArrayList<>();
        for (int f = 0; f < folds.size(); f++) {
            Path plot = out.resolve(CrossValidation.foldFolder(f)).resolve("plot.png");
            if (Files.isRegularFile(plot)) {
                curves.add(Pictures.png(
                        plot,
                        CrossValidation.foldFolder(f) + ": training curves (" + CrossValidation.foldFolder(f)
                                + "/plot.png)"));
            }
        }
        List<Page.Section> sections = new ArrayList<>();
        sections.add(new Page.Section(
                "folds",
                "Folds",
                List.of(
                        new Page.Table(
                                "Each fold's model on its held-out images (sensitivity and specificity at 0.5)",
                                List.of(
                                        "fold",
                                        "images",
                                        "positives / others",
                                        "accuracy",
                                        "sensitivity",
                                        "specificity",
                                        "ROC-AUC",
                                        "Brier",
                                        "time"),
                                rows,
                                true),
                        new Page.Table(
                                "Over the folds: mean +- sd (n - 1) of the folds' own figures",
                                List.of("measure", "mean +- sd"),
                                over,
                                true),
                        Page.Text.of("Each fold's own report, with its model, is " + CrossValidation.foldFolder(0)
                                + "/report.html ... " + CrossValidation.foldFolder(folds.size() - 1)
                                + "/report.html."))));
        sections.add(Page.Section.of("fold-curves", "Training curves per fold", new Page.Figures(curves)));
        return sections;
    }

    private static String meanSd(String name, FoldSummary.MeanSd m) {
        return name + " " + ms(m);
    }

    private static String ms(FoldSummary.MeanSd m) {
        if (m.n() == 0) {
            return "n/a";
        }
        return String.format(
                Locale.ROOT,
                "%.4f +- %s (%d folds)",
                m.mean(),
                Double.isNaN(m.sd()) ? "n/a" : String.format(Locale.ROOT, "%.4f", m.sd()),
                m.n());
    }

    private static String fraction(dev.cxr.model.eval.Wilson w) {
        return w.n() == 0 ? "n/a" : w.successes() + "/" + w.n();
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.4f", v);
    }
}
