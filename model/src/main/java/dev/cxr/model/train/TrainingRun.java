package dev.cxr.model.train;

import dev.cxr.engine.backend.Backend;
import dev.cxr.engine.augment.RandomRotation;
import dev.cxr.engine.io.AtomicFiles;
import dev.cxr.engine.loss.BinaryCrossEntropy;
import dev.cxr.model.classifier.Head;
import dev.cxr.model.classifier.ModelFile;
import dev.cxr.model.data.ImageFolder;
import dev.cxr.model.data.Sample;
import dev.cxr.model.data.StratifiedSplit;
import dev.cxr.model.eval.ClassificationMetrics;
import dev.cxr.model.features.FeatureExtractor;
import dev.cxr.model.features.FrozenBase;
import dev.cxr.model.features.ImageResult;
import dev.cxr.model.image.RgbImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * {@code cxr train} from dataset folder to output files: scan and decode the dataset once, split it
 * (stratified, seeded, as scikit-learn), compute the test split's features once (and the training
 * split's too when augmentation is off), train the head, measure it on the test split, and write
 * {@code model.h5}, {@code history.csv}, the reports ({@link TrainingReport}) and {@code plot.png}.
 *
 * <p>Randomness: one {@link SplittableRandom} seeded with the seed, split in a fixed order into the
 * streams for the head's initial weights, dropout, the per-epoch shuffle and the rotations; the
 * split itself uses numpy's generator with the same seed. The same command and seed give the same
 * numbers, bit for bit, on the CPU.
 */
public final class TrainingRun {

    /** What a run produced, for the caller and for tests. */
    public record Result(Path output, ImageFolder dataset, List<ImageResult<Sample, RgbImage>> skipped,
                         List<Sample> train, List<Sample> test, List<EpochMetrics> history, ClassificationMetrics metrics,
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
            FeatureExtractor extractor = new FeatureExtractor(base, config.preprocessing());
            long t0 = System.nanoTime();
            List<ImageResult<Sample, RgbImage>> loaded = extractor.load(scanned.samples());
            List<ImageResult<Sample, RgbImage>> skipped = ImageResult.failed(loaded);
            for (ImageResult<Sample, RgbImage> s : skipped) {
                log.accept("warning: skipping " + s.error());
            }
            if (!skipped.isEmpty()) {
                log.accept("warning: skipped " + skipped.size() + " of " + scanned.samples().size()
                        + " images that could not be used");
            }
            ImageFolder dataset = scanned.withSamples(ImageResult.usable(loaded));
            List<RgbImage> images = ImageResult.values(loaded);
            dataset.requireTrainable(skipped.isEmpty() ? ""
                    : " left after skipping " + skipped.size() + " unusable image(s)");
            log.accept(String.format(Locale.ROOT, "read %d images (%s) in %.1f s", dataset.samples().size(),
                    TrainingReport.counts(dataset), seconds(t0)));

            int k = dataset.classes().size();
            StratifiedSplit.Indices split = StratifiedSplit.split(dataset.labels(), k, config.testSplit(), config.seed());
            List<Sample> trainSamples = pick(dataset.samples(), split.train());
            List<Sample> testSamples = pick(dataset.samples(), split.test());
            List<RgbImage> trainImages = pick(images, split.train());
            List<RgbImage> testImages = pick(images, split.test());
            float[] trainTargets = oneHot(trainSamples, k);
            float[] testTargets = oneHot(testSamples, k);

            SplittableRandom root = new SplittableRandom(config.seed());
            SplittableRandom initRandom = root.split();
            SplittableRandom dropoutRandom = root.split();
            SplittableRandom shuffleRandom = root.split();
            SplittableRandom augmentRandom = root.split();

            t0 = System.nanoTime();
            float[] testFeatures = extractor.features(testImages);
            CachedFeatures test = new CachedFeatures(backend, testFeatures, base.outputShape(1));
            FeatureSource train;
            if (config.augment()) {
                train = new AugmentedFeatures(extractor, trainImages, new RandomRotation(TrainConfig.ROTATION_DEGREES),
                        augmentRandom);
                log.accept(String.format(Locale.ROOT, "features of the %d test images in %.1f s; the %d training images"
                        + " go through the base in every batch (rotation augmentation)", testImages.size(), seconds(t0),
                        trainImages.size()));
            } else {
                train = new CachedFeatures(backend, extractor.features(trainImages), base.outputShape(1));
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
                    flat = trainer.validate(head, testSource, testTargets, loss).probabilities();
                }
                float[][] probs = new float[testSamples.size()][];
                for (int i = 0; i < probs.length; i++) {
                    probs[i] = Arrays.copyOfRange(flat, i * k, (i + 1) * k);
                }
                int[] testLabels = testSamples.stream().mapToInt(Sample::label).toArray();
                ClassificationMetrics metrics = ClassificationMetrics.of(dataset.classes(), testLabels, probs);

                ModelFile model = ModelFile.of(head, dataset.classes(), extractor.imageSize(), config.preprocessing(), base,
                        config.seed());
                model.write(out.resolve("model.h5"));
                HistoryCsv.write(out.resolve("history.csv"), history);
                double elapsed = seconds(start);
                Result result = new Result(out, dataset, skipped, trainSamples, testSamples, history, metrics, probs,
                        testFeatures, model, elapsed);
                TrainingReport.of(result, config, backend.name(), head.describe(false)).writeTo(out);
                TrainingPlot.write(out.resolve("plot.png"), history);
                return result;
            }
        }
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
