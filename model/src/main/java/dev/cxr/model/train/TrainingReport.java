package dev.cxr.model.train;

import dev.cxr.model.data.ImageFolder;
import dev.cxr.model.data.Sample;
import dev.cxr.model.eval.ClassificationMetrics;
import dev.cxr.model.eval.Prediction;
import dev.cxr.model.eval.Report;
import dev.cxr.model.features.ImageResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code cxr train} reports ({@code report.txt}, {@code report.json}): the classifier on the test
 * split, with every setting that made the run (dataset, split, preprocessing, augmentation, the
 * optimizer, the head as it describes itself, seed, weights and their md5, device, time), and in
 * the JSON the epochs' history, the training paths and the skipped images.
 */
public final class TrainingReport {
    /**
     * What the report says of the split it measured on.
     *
     * @param title the report's title
     * @param split the split in words ("40 train / 10 test, stratified ...")
     * @param notes lines after the metrics (how the split treats patients)
     * @param json  further report.json sections (the groups and their leakage)
     */
    public record Context(String title, String split, List<String> notes, Map<String, Object> json) {}

    private TrainingReport() {}

    /**
     * @param device the backend's name
     * @param head   the head's layers ({@code Head.describe(false)})
     */
    public static Report of(TrainingRun.Result run, TrainConfig config, String device, String head, Context context) {
        ImageFolder dataset = run.dataset();
        List<Sample> train = run.train();
        List<Sample> test = run.test();
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("dataset", dataset.root().toAbsolutePath().toString());
        s.put(
                "images",
                dataset.samples().size() + " (" + counts(dataset) + ")"
                        + (run.skipped().isEmpty() ? "" : ", " + run.skipped().size() + " skipped"));
        s.put("split", context.split());
        s.put("preprocessing", config.preprocessing().toString());
        s.put(
                "augmentation",
                config.augment()
                        ? "random rotation within +-" + (int) TrainConfig.ROTATION_DEGREES + " degrees, nearest fill"
                        : "off");
        s.put("epochs", config.epochs());
        s.put(
                "batch size",
                config.batchSize() + " (" + config.stepsPerEpoch(train.size()) + " steps per epoch"
                        + (train.size() % config.batchSize() == 0 ? ")" : ", the last one partial)"));
        s.put(
                "optimizer",
                String.format(
                        Locale.ROOT,
                        "Adam lr %s, decay lr/epochs = %s per step",
                        config.learningRate(),
                        config.decay()));
        s.put("loss", "binary cross-entropy on the softmax probabilities (tf.keras 2.x)");
        s.put("head", head);
        s.put("seed", config.seed());
        s.put("shuffle", config.shuffle() ? "every epoch, seeded" : "off");
        s.put("weights", run.model().baseWeightsHint());
        s.put("weights md5", run.model().baseMd5());
        s.put("device", device);
        EpochMetrics last = run.history().get(run.history().size() - 1);
        s.put(
                "final epoch",
                String.format(
                        Locale.ROOT,
                        "loss %.4f, accuracy %.4f, val_loss %.4f, val_accuracy %.4f",
                        last.loss(),
                        last.accuracy(),
                        last.valLoss(),
                        last.valAccuracy()));
        s.put("time", String.format(Locale.ROOT, "%.1f s", run.seconds()));

        List<Prediction> predictions = new ArrayList<>();
        for (int i = 0; i < test.size(); i++) {
            float[] p = run.testProbabilities()[i];
            predictions.add(new Prediction(
                    test.get(i).relativePath(), test.get(i).label(), ClassificationMetrics.argmax(p), p));
        }
        Map<String, Object> extra = new LinkedHashMap<>(context.json());
        extra.put("history", run.history().stream().map(TrainingReport::epoch).toList());
        extra.put("train_paths", train.stream().map(Sample::relativePath).toList());
        extra.put("skipped", run.skipped().stream().map(ImageResult::error).toList());
        return Report.of(context.title(), s, run.metrics(), predictions, context.notes(), extra, config.seed());
    }

    private static Map<String, Object> epoch(EpochMetrics m) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("epoch", m.epoch());
        e.put("loss", m.loss());
        e.put("accuracy", m.accuracy());
        e.put("val_loss", m.valLoss());
        e.put("val_accuracy", m.valAccuracy());
        e.put("lr", m.learningRate());
        return e;
    }

    /** "covid 25, normal 25". */
    static String counts(ImageFolder f) {
        int[] c = f.counts();
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < c.length; i++) {
            parts.add(f.classes().get(i) + " " + c[i]);
        }
        return String.join(", ", parts);
    }
}
