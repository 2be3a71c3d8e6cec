package dev.cxr.model.train;

import dev.cxr.engine.CxrException;
import dev.cxr.engine.backend.Backend;
import dev.cxr.engine.io.AtomicFiles;
import dev.cxr.model.classifier.Head;
import dev.cxr.model.data.Groups;
import dev.cxr.model.data.ImageFolder;
import dev.cxr.model.data.Sample;
import dev.cxr.model.data.StratifiedGroupKFold;
import dev.cxr.model.data.StratifiedSplit;
import dev.cxr.model.eval.ClassificationMetrics;
import dev.cxr.model.eval.FoldSummary;
import dev.cxr.model.eval.Prediction;
import dev.cxr.model.eval.Report;
import dev.cxr.model.eval.Scored;
import dev.cxr.model.explain.CamPictures;
import dev.cxr.model.features.FeatureExtractor;
import dev.cxr.model.features.FrozenBase;
import dev.cxr.model.html.HtmlReport;
import dev.cxr.model.html.ReportGallery;
import dev.cxr.model.html.ReportPages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * {@code cxr train --folds K}: k-fold cross-validation of the whole training run. The dataset is read
 * once and cut into K stratified folds ({@link StratifiedGroupKFold}, seeded, grouped when groups
 * are given); for each fold a head is trained on the other folds exactly as {@code cxr train} trains
 * one (augmentation included, the same seed) and measured on the fold, and its model and reports go
 * to {@code fold-N/}. Every image is then scored once, by the model that did not see it, and the
 * pooled out-of-fold predictions make the top-level report: the usual metrics with Wilson intervals,
 * ROC-AUC with DeLong's interval and a seeded bootstrap one, calibration, the operating points, and
 * each figure's mean +- sd over the folds. K trainings cost K times one.
 *
 * <p>Outputs are consistent at every moment: each fold is written into a temporary folder that is
 * renamed to {@code fold-N/} once complete (a crash never leaves half a fold), and the pooled
 * report, written last, exists only when every fold does.
 */
public final class CrossValidation {

    /** What the run produced: each fold's training, the summary over folds, the pooled report. */
    public record Result(
            Path output,
            List<TrainingRun.Result> folds,
            List<StratifiedSplit.Indices> splits,
            FoldSummary summary,
            Report pooled,
            double seconds) {}

    private CrossValidation() {}

    /** The folder of fold {@code f} (0-based): fold-1, fold-2, ... */
    public static String foldFolder(int f) {
        return "fold-" + (f + 1);
    }

    /**
     * @param k          folds, at least 2 and at most the number of groups (images without groups)
     * @param groupsFile CSV of image -> group, or null for each image its own group
     * @throws CxrException for anything the user can fix, before the long work where possible
     */
    public static Result run(
            Backend backend,
            Path datasetDir,
            Path weightsFile,
            TrainConfig config,
            int k,
            Path groupsFile,
            Path outputDir,
            Consumer<String> log,
            TrainingListener listener) {
        long start = System.nanoTime();
        Path out = AtomicFiles.requireWritableFolder(outputDir);
        ImageFolder scanned = ImageFolder.scan(datasetDir);
        scanned.requireTrainable("");
        Groups given = groupsFile == null ? null : Groups.read(groupsFile, scanned.samples());
        // the quick check first: too many folds for the groups fails before the weights are read
        StratifiedGroupKFold.assign(
                scanned.labels(), scanned.classes(), given == null ? null : given.array(), k, config.seed());
        try (FrozenBase base = FrozenBase.loadCorner(backend, weightsFile, Head.featureRowsRead(Head.FEATURE_SIZE))) {
            FeatureExtractor extractor = new FeatureExtractor(base, config.preprocessing());
            TrainingRun.Data data = TrainingRun.load(scanned, given, extractor, log);
            ImageFolder dataset = data.dataset();
            List<Sample> samples = dataset.samples();
            List<String> classes = dataset.classes();
            boolean grouped = data.groups().fromFile();
            List<StratifiedSplit.Indices> splits = StratifiedGroupKFold.split(
                    dataset.labels(), classes, grouped ? data.groups().array() : null, k, config.seed());
            String how = String.format(
                    Locale.ROOT,
                    "%d folds, stratified, %s, seed %d (scikit-learn's" + " StratifiedGroupKFold, shuffled)",
                    k,
                    grouped
                            ? "grouped by " + data.groups().source() + " ("
                                    + data.groups().count() + " groups; no group in two folds)"
                            : "not grouped",
                    config.seed());
            log.accept(String.format(
                    Locale.ROOT,
                    "%d folds of %s images: %d trainings, each about as long as one" + " cxr train on %d images",
                    k,
                    sizes(splits),
                    k,
                    samples.size() - splits.get(0).test().length));

            List<TrainingRun.Result> folds = new ArrayList<>();
            List<Double> foldSeconds = new ArrayList<>();
            float[][] oof = new float[samples.size()][];
            int[] foldOf = new int[samples.size()];
            for (int f = 0; f < k; f++) {
                long t0 = System.nanoTime();
                StratifiedSplit.Indices split = splits.get(f);
                log.accept(String.format(
                        Locale.ROOT,
                        "fold %d of %d: training on %d images, testing on %d",
                        f + 1,
                        k,
                        split.train().length,
                        split.test().length));
                String foldHow = String.format(
                        Locale.ROOT,
                        "fold %d of %s: %d train / %d test",
                        f + 1,
                        how,
                        split.train().length,
                        split.test().length);
                TrainingReport.Context context = new TrainingReport.Context(
                        String.format(
                                Locale.ROOT,
                                "cxr train --folds %d: fold %d, the classifier on its %d held-out images",
                                k,
                                f + 1,
                                split.test().length),
                        foldHow,
                        TrainingRun.groupNotes(data, List.of(split), "test images"),
                        TrainingRun.groupsJson(data, List.of(split)));
                Path target = out.resolve(foldFolder(f));
                TrainingRun.Result r = intoFolder(
                        target,
                        tmp -> TrainingRun.trainAndWrite(
                                backend, base, extractor, data, split, config, context, tmp, log, listener, t0));
                folds.add(new TrainingRun.Result(
                        target,
                        r.dataset(),
                        r.skipped(),
                        r.train(),
                        r.test(),
                        r.history(),
                        r.metrics(),
                        r.testProbabilities(),
                        r.testFeatures(),
                        r.model(),
                        r.seconds()));
                for (int i = 0; i < split.test().length; i++) {
                    oof[split.test()[i]] = r.testProbabilities()[i];
                    foldOf[split.test()[i]] = f;
                }
                double s = TrainingRun.seconds(t0);
                foldSeconds.add(s);
                double mean = foldSeconds.stream()
                        .mapToDouble(Double::doubleValue)
                        .average()
                        .orElse(0);
                log.accept(String.format(
                        Locale.ROOT,
                        "fold %d of %d: accuracy %d/%d, in %.1f s%s",
                        f + 1,
                        k,
                        r.metrics().accuracy().successes(),
                        r.metrics().accuracy().n(),
                        s,
                        f + 1 < k ? String.format(Locale.ROOT, "; about %.0f s to go", mean * (k - f - 1)) : ""));
            }

            List<List<Scored>> perFold = new ArrayList<>();
            for (TrainingRun.Result r : folds) {
                perFold.add(Scored.of(r.test().stream().mapToInt(Sample::label).toArray(), r.testProbabilities()));
            }
            FoldSummary summary = FoldSummary.of(perFold, config.seed());
            ClassificationMetrics metrics = ClassificationMetrics.of(classes, dataset.labels(), oof);
            List<Prediction> predictions = new ArrayList<>();
            for (int i = 0; i < samples.size(); i++) {
                predictions.add(new Prediction(
                        samples.get(i).relativePath(),
                        samples.get(i).label(),
                        ClassificationMetrics.argmax(oof[i]),
                        oof[i]));
            }
            double seconds = TrainingRun.seconds(start);
            double training =
                    foldSeconds.stream().mapToDouble(Double::doubleValue).sum();
            String timing = String.format(
                    Locale.ROOT,
                    "%.1f s in all; the %d trainings %.1f s, %.1f s each on average" + " (K folds cost K trainings)",
                    seconds,
                    k,
                    training,
                    training / k);
            log.accept("cross-validation: " + timing);
            Report pooled = CrossValidationReport.pooled(
                    folds,
                    data,
                    splits,
                    summary,
                    metrics,
                    predictions,
                    config,
                    how,
                    timing,
                    foldOf,
                    foldSeconds,
                    backend.name());
            pooled.writeTo(out);
            // each image's overlay from the fold's model that scored it
            Map<String, Integer> sampleIndex = new HashMap<>();
            for (int i = 0; i < samples.size(); i++) {
                sampleIndex.put(samples.get(i).relativePath(), i);
            }
            try (CamPictures overlays = new CamPictures(
                    backend,
                    base.file(),
                    p -> folds.get(foldOf[sampleIndex.get(p.path())]).model())) {
                HtmlReport.write(
                        out.resolve(HtmlReport.FILE),
                        ReportPages.of(
                                pooled,
                                out,
                                CrossValidationReport.foldSections(out, summary, folds, foldSeconds),
                                ReportGallery.of(classes, predictions, samples, overlays)));
            }
            return new Result(out, folds, splits, summary, pooled, seconds);
        }
    }

    /** A fold's work, written into a temporary folder beside {@code target} and renamed to it when complete. */
    private static TrainingRun.Result intoFolder(
            Path target, java.util.function.Function<Path, TrainingRun.Result> work) {
        Path tmp = target.resolveSibling(
                "." + target.getFileName() + ".tmp-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        try {
            Files.createDirectory(tmp);
            TrainingRun.Result r = work.apply(tmp);
            if (Files.exists(target)) {
                // an earlier run's fold: moved aside first, so the new one lands in one rename
                Path old = target.resolveSibling("." + target.getFileName() + ".old-" + System.nanoTime());
                Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
                deleteTree(old);
            } else {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            }
            return r;
        } catch (IOException e) {
            deleteTree(tmp);
            throw new CxrException("cannot write " + target + " (" + e + ")", e);
        } catch (RuntimeException e) {
            deleteTree(tmp);
            throw e;
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException ignored) {
            // best effort: a leftover hidden folder does not change any result
        }
    }

    static String sizes(List<StratifiedSplit.Indices> splits) {
        return String.join(
                ", ", splits.stream().map(s -> String.valueOf(s.test().length)).toList());
    }
}
