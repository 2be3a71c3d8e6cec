package dev.cxr.model.train;

import dev.cxr.engine.CxrException;
import dev.cxr.engine.augment.RandomRotation;
import dev.cxr.engine.backend.Backend;
import dev.cxr.engine.io.AtomicFiles;
import dev.cxr.engine.loss.BinaryCrossEntropy;
import dev.cxr.model.classifier.Head;
import dev.cxr.model.classifier.ModelFile;
import dev.cxr.model.data.GroupLeakage;
import dev.cxr.model.data.GroupedSplit;
import dev.cxr.model.data.Groups;
import dev.cxr.model.data.ImageFolder;
import dev.cxr.model.data.Sample;
import dev.cxr.model.data.StratifiedSplit;
import dev.cxr.model.eval.ClassificationMetrics;
import dev.cxr.model.eval.Report;
import dev.cxr.model.explain.CamPictures;
import dev.cxr.model.features.FeatureExtractor;
import dev.cxr.model.features.FrozenBase;
import dev.cxr.model.features.ImageResult;
import dev.cxr.model.html.HtmlReport;
import dev.cxr.model.html.ReportGallery;
import dev.cxr.model.html.ReportPages;
import dev.cxr.model.image.RgbImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * {@code cxr train} from dataset folder to output files: scan and decode the dataset once, split it
 * (stratified and seeded: as scikit-learn without groups, never putting a group on both sides with
 * them), compute the test split's features once (and the training split's too when augmentation is
 * off), train the head, measure it on the test split, and write {@code model.h5},
 * {@code history.csv}, the reports ({@link TrainingReport}: text, JSON, {@code roc.png},
 * {@code calibration.png}), {@code plot.png} and, last, {@code report.html}, which inlines them.
 *
 * <p>Randomness: one {@link SplittableRandom} seeded with the seed, split in a fixed order into the
 * streams for the head's initial weights, dropout, the per-epoch shuffle and the rotations; the
 * split itself uses numpy's generator with the same seed. The same command and seed give the same
 * numbers, bit for bit, on the CPU.
 */
public final class TrainingRun {

    /** What a run produced, for the caller and for tests. */
    public record Result(
            Path output,
            ImageFolder dataset,
            List<ImageResult<Sample, RgbImage>> skipped,
            List<Sample> train,
            List<Sample> test,
            List<EpochMetrics> history,
            ClassificationMetrics metrics,
            float[][] testProbabilities,
            float[] testFeatures,
            ModelFile model,
            double seconds) {}

    /**
     * The dataset as read once: the usable samples, their images at the network's input size, the
     * ones skipped, and the groups.
     *
     * @param groups the groups of the usable samples: from {@code --groups}, else each image its own
     * @param check  the groups file a split without groups is checked against (the dataset's
     *               {@code groups.csv}), or null when there is none or groups were given
     * @param checkNote why the dataset's groups.csv could not be used for the check, or null
     */
    record Data(
            ImageFolder dataset,
            List<RgbImage> images,
            List<ImageResult<Sample, RgbImage>> skipped,
            Groups groups,
            Groups check,
            String checkNote) {}

    /** The groups file a dataset may carry beside its class folders (the bundled one does). */
    public static final String DATASET_GROUPS = "groups.csv";

    private TrainingRun() {}

    /** A run without a groups file: the split is scikit-learn's. */
    public static Result run(
            Backend backend,
            Path datasetDir,
            Path weightsFile,
            TrainConfig config,
            Path outputDir,
            Consumer<String> log,
            TrainingListener listener) {
        return run(backend, datasetDir, weightsFile, config, null, outputDir, log, listener);
    }

    /**
     * @param groupsFile CSV of image -> group (a patient), or null; with one, the split never puts a
     *                   group on both sides
     * @param log        receives progress lines and warnings (skipped images)
     * @throws CxrException for anything the user can fix, before the long work where possible
     */
    public static Result run(
            Backend backend,
            Path datasetDir,
            Path weightsFile,
            TrainConfig config,
            Path groupsFile,
            Path outputDir,
            Consumer<String> log,
            TrainingListener listener) {
        long start = System.nanoTime();
        Path out = AtomicFiles.requireWritableFolder(outputDir);
        ImageFolder scanned = ImageFolder.scan(datasetDir, log);
        scanned.requireTrainable("");
        Groups given = groupsFile == null ? null : Groups.read(groupsFile, scanned.samples());
        // the head reads only the feature map's top-left corner: the base computes just that
        try (FrozenBase base = FrozenBase.loadCorner(backend, weightsFile, Head.featureRowsRead(Head.FEATURE_SIZE))) {
            FeatureExtractor extractor = new FeatureExtractor(base, config.preprocessing());
            Data data = load(scanned, given, extractor, log);
            ImageFolder dataset = data.dataset();
            int[] labels = dataset.labels();
            StratifiedSplit.Indices split;
            String how;
            if (data.groups().fromFile()) {
                split = GroupedSplit.split(
                        labels, dataset.classes(), data.groups().array(), config.testSplit(), config.seed());
                how = String.format(
                        Locale.ROOT,
                        "grouped by %s (%d groups; no group on both sides), stratified, test" + " fraction %s, seed %d",
                        data.groups().source(),
                        data.groups().count(),
                        config.testSplit(),
                        config.seed());
            } else {
                split = StratifiedSplit.split(labels, dataset.classes().size(), config.testSplit(), config.seed());
                how = String.format(
                        Locale.ROOT,
                        "stratified, test fraction %s, seed %d (scikit-learn's train_test_split,"
                                + " reproduced exactly); not grouped",
                        config.testSplit(),
                        config.seed());
            }
            how = split.train().length + " train / " + split.test().length + " test, " + how;
            List<String> notes = groupNotes(data, List.of(split), "test images");
            TrainingReport.Context context = new TrainingReport.Context(
                    "cxr train: the classifier on the test split (" + split.test().length + " images)",
                    how,
                    notes,
                    groupsJson(data, List.of(split)));
            return trainAndWrite(backend, base, extractor, data, split, config, context, out, log, listener, start);
        }
    }

    /** Decodes every image once (the bad ones are skipped with a warning each) and selects the groups. */
    static Data load(ImageFolder scanned, Groups given, FeatureExtractor extractor, Consumer<String> log) {
        long t0 = System.nanoTime();
        Groups check = null;
        String checkNote = null;
        Path datasetGroups = scanned.root().resolve(DATASET_GROUPS);
        if (given == null && Files.isRegularFile(datasetGroups)) {
            try {
                check = Groups.read(datasetGroups, scanned.samples());
            } catch (CxrException e) {
                checkNote = e.getMessage();
                log.accept("note: cannot check the split against " + datasetGroups + ": " + e.getMessage());
            }
        }
        List<ImageResult<Sample, RgbImage>> loaded = extractor.load(scanned.samples());
        List<ImageResult<Sample, RgbImage>> skipped = ImageResult.failed(loaded);
        for (ImageResult<Sample, RgbImage> s : skipped) {
            log.accept("warning: skipping " + s.error());
        }
        if (!skipped.isEmpty()) {
            log.accept("warning: skipped " + skipped.size() + " of "
                    + scanned.samples().size() + " images that could not be used");
        }
        List<Sample> usable = ImageResult.usable(loaded);
        ImageFolder dataset = scanned.withSamples(usable);
        dataset.requireTrainable(
                skipped.isEmpty() ? "" : " left after skipping " + skipped.size() + " unusable image(s)");
        log.accept(String.format(
                Locale.ROOT,
                "read %d images (%s) in %.1f s",
                dataset.samples().size(),
                TrainingReport.counts(dataset),
                seconds(t0)));
        Groups groups = given != null ? given.select(scanned.samples(), usable) : Groups.perImage(usable);
        return new Data(
                dataset,
                ImageResult.values(loaded),
                skipped,
                groups,
                check == null ? null : check.select(scanned.samples(), usable),
                checkNote);
    }

    /**
     * Trains one head on {@code split}'s training side, measures it on its test side, and writes every
     * output into {@code out}, report.html last.
     *
     * @param start when the run began (System.nanoTime), for the time in the report
     */
    static Result trainAndWrite(
            Backend backend,
            FrozenBase base,
            FeatureExtractor extractor,
            Data data,
            StratifiedSplit.Indices split,
            TrainConfig config,
            TrainingReport.Context context,
            Path out,
            Consumer<String> log,
            TrainingListener listener,
            long start) {
        ImageFolder dataset = data.dataset();
        int k = dataset.classes().size();
        List<Sample> trainSamples = pick(dataset.samples(), split.train());
        List<Sample> testSamples = pick(dataset.samples(), split.test());
        List<RgbImage> trainImages = pick(data.images(), split.train());
        List<RgbImage> testImages = pick(data.images(), split.test());
        float[] trainTargets = oneHot(trainSamples, k);
        float[] testTargets = oneHot(testSamples, k);

        SplittableRandom root = new SplittableRandom(config.seed());
        SplittableRandom initRandom = root.split();
        SplittableRandom dropoutRandom = root.split();
        SplittableRandom shuffleRandom = root.split();
        SplittableRandom augmentRandom = root.split();

        long t0 = System.nanoTime();
        float[] testFeatures = extractor.features(testImages);
        CachedFeatures test = new CachedFeatures(backend, testFeatures, base.outputShape(1));
        FeatureSource train;
        if (config.augment()) {
            train = new AugmentedFeatures(
                    extractor, trainImages, new RandomRotation(TrainConfig.ROTATION_DEGREES), augmentRandom);
            log.accept(String.format(
                    Locale.ROOT,
                    "features of the %d test images in %.1f s; the %d training images"
                            + " go through the base in every batch (rotation augmentation)",
                    testImages.size(),
                    seconds(t0),
                    trainImages.size()));
        } else {
            train = new CachedFeatures(backend, extractor.features(trainImages), base.outputShape(1));
            log.accept(String.format(
                    Locale.ROOT,
                    "features of all %d images computed once in %.1f s (augmentation off)",
                    trainImages.size() + testImages.size(),
                    seconds(t0)));
        }

        try (Head head = Head.faithful(backend, base.channels(), k, config.dropout(), dropoutRandom);
                CachedFeatures testSource = test;
                FeatureSource trainSource = train) {
            head.initialize(initRandom);
            Trainer trainer = new Trainer(backend, config);
            List<EpochMetrics> history =
                    trainer.fit(head, trainSource, trainTargets, testSource, testTargets, shuffleRandom, listener);
            float[] flat;
            try (BinaryCrossEntropy loss = new BinaryCrossEntropy(backend)) {
                flat = trainer.validate(head, testSource, testTargets, loss).probabilities();
            }
            float[][] probs = new float[testSamples.size()][];
            for (int i = 0; i < probs.length; i++) {
                probs[i] = Arrays.copyOfRange(flat, i * k, (i + 1) * k);
            }
            int[] testLabels = testSamples.stream().mapToInt(Sample::label).toArray();
            ClassificationMetrics metrics = ClassificationMetrics.of(dataset.classes(), testLabels, probs);

            ModelFile model = ModelFile.of(
                    head, dataset.classes(), extractor.imageSize(), config.preprocessing(), base, config.seed());
            model.write(out.resolve("model.h5"));
            HistoryCsv.write(out.resolve("history.csv"), history);
            Result result = new Result(
                    out,
                    dataset,
                    data.skipped(),
                    trainSamples,
                    testSamples,
                    history,
                    metrics,
                    probs,
                    testFeatures,
                    model,
                    seconds(start));
            Report report = TrainingReport.of(result, config, backend.name(), head.describe(false), context);
            report.writeTo(out);
            TrainingPlot.write(out.resolve("plot.png"), history);
            try (CamPictures overlays = new CamPictures(backend, base.file(), model)) {
                HtmlReport.write(
                        out.resolve(HtmlReport.FILE),
                        ReportPages.of(
                                report,
                                out,
                                List.of(),
                                ReportGallery.of(dataset.classes(), report.predictions(), testSamples, overlays)));
            }
            return result;
        }
    }

    /**
     * What the report says of patients: the groups used, or, for a split without groups, how many
     * test images share a group with training by the dataset's groups file.
     *
     * @param testWord "test images" for a split, "images" for folds (each image is tested once)
     */
    static List<String> groupNotes(Data data, List<StratifiedSplit.Indices> splits, String testWord) {
        List<String> notes = new ArrayList<>();
        List<Sample> samples = data.dataset().samples();
        List<String> classes = data.dataset().classes();
        if (data.groups().fromFile()) {
            GroupLeakage l = GroupLeakage.ofFolds(splits, data.groups(), samples, classes);
            notes.add(String.format(
                    Locale.ROOT,
                    "groups: %s, %d groups among %d images; %d of the %d %s share a group"
                            + " with training images (a grouped split keeps each group on one side).",
                    data.groups().source(),
                    data.groups().count(),
                    samples.size(),
                    l.leakedImages(),
                    l.testImages(),
                    testWord));
        } else if (data.check() != null) {
            GroupLeakage l = GroupLeakage.ofFolds(splits, data.check(), samples, classes);
            notes.add(String.format(
                    Locale.ROOT,
                    "groups: none given, so each image counted as its own patient. Checked"
                            + " against %s (%d groups): %d of the %d %s share a group (a patient) with training images%s."
                            + " Pass --groups %s to keep each patient on one side.",
                    data.check().source(),
                    data.check().count(),
                    l.leakedImages(),
                    l.testImages(),
                    testWord,
                    l.leakedImages() == 0
                            ? ""
                            : " (" + String.join(", ", l.leakedPaths()) + "): those are partly tested on patients the"
                                    + " model has seen",
                    data.check().source()));
        } else {
            notes.add("groups: none given, so each image counted as its own patient: if one patient has several images,"
                    + " the test images may share patients with training (--groups FILE keeps each on one side)."
                    + (data.checkNote() == null
                            ? ""
                            : " The dataset's " + DATASET_GROUPS + " could not be used to check" + " this: "
                                    + data.checkNote()));
        }
        return notes;
    }

    /** The groups in report.json: whether used, the file, and the leakage (given or checked). */
    static java.util.Map<String, Object> groupsJson(Data data, List<StratifiedSplit.Indices> splits) {
        java.util.Map<String, Object> g = new java.util.LinkedHashMap<>();
        boolean used = data.groups().fromFile();
        Groups measured = used ? data.groups() : data.check();
        g.put("used", used);
        g.put("file", used ? data.groups().source().toString() : null);
        g.put("checked_against", !used && measured != null ? measured.source().toString() : null);
        g.put("groups", measured == null ? null : measured.count());
        g.put(
                "leakage",
                measured == null
                        ? null
                        : GroupLeakage.ofFolds(
                                splits,
                                measured,
                                data.dataset().samples(),
                                data.dataset().classes()));
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("groups", g);
        return m;
    }

    static <T> List<T> pick(List<T> all, int[] idx) {
        List<T> out = new ArrayList<>(idx.length);
        for (int i : idx) {
            out.add(all.get(i));
        }
        return out;
    }

    private static float[] oneHot(List<Sample> samples, int k) {
        float[] y = new float[samples.size() * k];
        for (int i = 0; i < samples.size(); i++) {
            y[i * k + samples.get(i).label()] = 1f;
        }
        return y;
    }

    static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
