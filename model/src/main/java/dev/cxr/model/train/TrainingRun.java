package dev.cxr.model.train;

import dev.cxr.engine.augment.RandomRotation;
import dev.cxr.engine.backend.Backend;
import dev.cxr.engine.io.AtomicFiles;
import dev.cxr.engine.loss.BinaryCrossEntropy;
import dev.cxr.model.Vgg16;
import dev.cxr.model.classifier.Classifier;
import dev.cxr.model.classifier.FrozenBase;
import dev.cxr.model.classifier.Head;
import dev.cxr.model.classifier.ModelFile;
import dev.cxr.model.data.ImageFolder;
import dev.cxr.model.data.ImageLoader;
import dev.cxr.model.data.Sample;
import dev.cxr.model.data.StratifiedSplit;
import dev.cxr.model.eval.ClassificationMetrics;
import dev.cxr.model.eval.Prediction;
import dev.cxr.model.eval.Report;
import dev.cxr.model.image.RgbImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * {@code cxr train} from dataset folder to output files: scan and decode the dataset once, split it
 * (stratified, seeded, as scikit-learn), compute the test split's features once (and the training
 * split's too when augmentation is off), train the head, measure it on the test split, and write
 * {@code model.h5}, {@code history.csv}, {@code report.txt}, {@code report.json} and {@code plot.png}.
 *
 * <p>Randomness: one {@link SplittableRandom} seeded with the seed, split in a fixed order into the
 * streams for the head's initial weights, dropout, the per-epoch shuffle and the rotations; the
 * split itself uses numpy's generator with the same seed. The same command and seed give the same
 * numbers, bit for bit, on the CPU.
 */
public final class TrainingRun {

    /** What a run produced, for the caller and for tests. */
    public record Result(Path output, ImageFolder dataset, List<ImageLoader.Skipped> skipped, List<Sample> train,
                         List<Sample> test, List<EpochMetrics> history, ClassificationMetrics metrics,
                         float[][] testProbabilities, float[] testFeatures, ModelFile model, double seconds) {
    }

    private TrainingRun() {
    }

    /**
     * @param log receives progress lines and warnings (skipped images)
     * @throws dev.cxr.engine.CxrException for anything the user can fix, before the long work where possible
     */
    public static Result run(Backend backend, Path datasetDir, Path weightsFile, TrainConfig config, Path outputDir,
                             Consumer<String> log, TrainingListener listener) {
        long start = System.nanoTime();
        Path out = AtomicFiles.requireWritableFolder(outputDir);
        ImageFolder scanned = ImageFolder.scan(datasetDir);
        scanned.requireTrainable("");
        // the head reads only the feature map's top-left corner: the base computes just that
        try (FrozenBase base = FrozenBase.loadCorner(backend, weightsFile, Head.featureRowsRead(Head.FEATURE_SIZE))) {
            int size = Vgg16.INPUT_SIZE;
            long t0 = System.nanoTime();
            ImageLoader.Loaded loaded = ImageLoader.loadAll(scanned.samples(), size);
            for (ImageLoader.Skipped s : loaded.skipped()) {
                log.accept("warning: skipping " + s.reason());
            }
            if (!loaded.skipped().isEmpty()) {
                log.accept("warning: skipped " + loaded.skipped().size() + " of " + scanned.samples().size()
                        + " images that could not be used");
            }
            ImageFolder dataset = scanned.withSamples(loaded.samples());
            dataset.requireTrainable(loaded.skipped().isEmpty() ? ""
                    : " left after skipping " + loaded.skipped().size() + " unusable image(s)");
            log.accept(String.format(Locale.ROOT, "read %d images (%s) in %.1f s", dataset.samples().size(),
                    counts(dataset), seconds(t0)));

            int k = dataset.classes().size();
            StratifiedSplit.Indices split = StratifiedSplit.split(dataset.labels(), k, config.testSplit(), config.seed());
            List<Sample> trainSamples = pick(dataset.samples(), split.train());
            List<Sample> testSamples = pick(dataset.samples(), split.test());
            List<RgbImage> trainImages = pick(loaded.images(), split.train());
            List<RgbImage> testImages = pick(loaded.images(), split.test());
            float[] trainTargets = oneHot(trainSamples, k);
            float[] testTargets = oneHot(testSamples, k);

            SplittableRandom root = new SplittableRandom(config.seed());
            SplittableRandom initRandom = root.split();
            SplittableRandom dropoutRandom = root.split();
            SplittableRandom shuffleRandom = root.split();
            SplittableRandom augmentRandom = root.split();

            t0 = System.nanoTime();
            float[] testFeatures = Classifier.features(base, testImages, config.preprocessing());
            CachedFeatures test = new CachedFeatures(backend, testFeatures, base.outputShape(1));
            FeatureSource train;
            if (config.augment()) {
                train = new AugmentedFeatures(base, trainImages, config.preprocessing(),
                        new RandomRotation(TrainConfig.ROTATION_DEGREES), augmentRandom);
                log.accept(String.format(Locale.ROOT, "features of the %d test images in %.1f s; the %d training images"
                        + " go through the base in every batch (rotation augmentation)", testImages.size(), seconds(t0),
                        trainImages.size()));
            } else {
                train = new CachedFeatures(backend, Classifier.features(base, trainImages, config.preprocessing()),
                        base.outputShape(1));
                log.accept(String.format(Locale.ROOT, "features of all %d images computed once in %.1f s (augmentation off)",
                        trainImages.size() + testImages.size(), seconds(t0)));
            }

            try (Head head = Head.faithful(backend, base.channels(), k, config.dropout(), dropoutRandom);
                 CachedFeatures testSource = test;
                 FeatureSource trainSource = train) {
                head.initialize(initRandom);
                Trainer trainer = new Trainer(backend, config);
                List<EpochMetrics> history = trainer.fit(head, trainSource, trainTargets, testSource, testTargets,
                        shuffleRandom, listener);
                float[] flat;
                try (BinaryCrossEntropy loss = new BinaryCrossEntropy(backend)) {
                    flat = trainer.evaluate(head, testSource, testTargets, loss).probabilities();
                }
                float[][] probs = new float[testSamples.size()][];
                List<Prediction> predictions = new ArrayList<>();
                for (int i = 0; i < probs.length; i++) {
                    probs[i] = Arrays.copyOfRange(flat, i * k, (i + 1) * k);
                    predictions.add(new Prediction(testSamples.get(i).relativePath(), testSamples.get(i).label(),
                            ClassificationMetrics.argmax(probs[i]), probs[i]));
                }
                int[] testLabels = testSamples.stream().mapToInt(Sample::label).toArray();
                ClassificationMetrics metrics = ClassificationMetrics.of(dataset.classes(), testLabels, probs);

                ModelFile model = ModelFile.of(head, dataset.classes(), size, config.preprocessing(), base, config.seed());
                model.write(out.resolve("model.h5"));
                HistoryCsv.write(out.resolve("history.csv"), history);
                double elapsed = seconds(start);
                report(backend, config, base, dataset, loaded, trainSamples, testSamples, history, metrics, predictions,
                        elapsed).writeTo(out);
                TrainingPlot.write(out.resolve("plot.png"), history);
                return new Result(out, dataset, loaded.skipped(), trainSamples, testSamples, history, metrics, probs,
                        testFeatures, model, elapsed);
            }
        }
    }

    private static Report report(Backend backend, TrainConfig config, FrozenBase base, ImageFolder dataset,
                                 ImageLoader.Loaded loaded, List<Sample> train, List<Sample> test,
                                 List<EpochMetrics> history, ClassificationMetrics metrics,
                                 List<Prediction> predictions, double elapsed) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("dataset", dataset.root().toAbsolutePath().toString());
        s.put("images", dataset.samples().size() + " (" + counts(dataset) + ")"
                + (loaded.skipped().isEmpty() ? "" : ", " + loaded.skipped().size() + " skipped"));
        s.put("split", String.format(Locale.ROOT, "%d train / %d test, stratified, test fraction %s, seed %d"
                + " (scikit-learn's train_test_split, reproduced exactly)", train.size(), test.size(),
                config.testSplit(), config.seed()));
        s.put("preprocessing", config.preprocessing().toString());
        s.put("augmentation", config.augment() ? "random rotation within +-" + (int) TrainConfig.ROTATION_DEGREES
                + " degrees, nearest fill" : "off");
        s.put("epochs", config.epochs());
        s.put("batch size", config.batchSize() + " (" + config.stepsPerEpoch(train.size()) + " steps per epoch"
                + (train.size() % config.batchSize() == 0 ? ")" : ", the last one partial)"));
        s.put("optimizer", String.format(Locale.ROOT, "Adam lr %s, decay lr/epochs = %s per step", config.learningRate(),
                config.decay()));
        s.put("loss", "binary cross-entropy on the softmax probabilities (tf.keras 2.x)");
        s.put("head", "AveragePooling2D(4x4) > Flatten > Dense(64, relu) > Dropout(" + config.dropout() + ") > Dense("
                + dataset.classes().size() + ", softmax)");
        s.put("seed", config.seed());
        s.put("shuffle", config.shuffle() ? "every epoch, seeded" : "off");
        s.put("weights", base.file().toAbsolutePath().toString());
        s.put("weights md5", base.md5());
        s.put("device", backend.name());
        EpochMetrics last = history.get(history.size() - 1);
        s.put("final epoch", String.format(Locale.ROOT, "loss %.4f, accuracy %.4f, val_loss %.4f, val_accuracy %.4f",
                last.loss(), last.accuracy(), last.valLoss(), last.valAccuracy()));
        s.put("time", String.format(Locale.ROOT, "%.1f s", elapsed));

        Map<String, Object> extra = new LinkedHashMap<>();
        List<Object> hist = new ArrayList<>();
        for (EpochMetrics m : history) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("epoch", m.epoch());
            e.put("loss", m.loss());
            e.put("accuracy", m.accuracy());
            e.put("val_loss", m.valLoss());
            e.put("val_accuracy", m.valAccuracy());
            e.put("lr", m.learningRate());
            hist.add(e);
        }
        extra.put("history", hist);
        extra.put("train_paths", train.stream().map(Sample::relativePath).toList());
        extra.put("skipped", loaded.skipped().stream().map(ImageLoader.Skipped::reason).toList());
        return new Report("cxr train: the classifier on the test split (" + test.size() + " images)", s, metrics,
                predictions, extra);
    }

    static String counts(ImageFolder f) {
        int[] c = f.counts();
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < c.length; i++) {
            parts.add(f.classes().get(i) + " " + c[i]);
        }
        return String.join(", ", parts);
    }

    private static <T> List<T> pick(List<T> all, int[] idx) {
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

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
