package dev.cxr.model.eval;

import dev.cxr.engine.CxrException;
import dev.cxr.engine.backend.Backend;
import dev.cxr.model.classifier.Classifier;
import dev.cxr.model.classifier.ModelFile;
import dev.cxr.model.data.ImageFolder;
import dev.cxr.model.data.Sample;
import dev.cxr.model.features.ImageResult;
import dev.cxr.model.image.RgbImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * {@code cxr evaluate} from model file and dataset folder to report, as {@code TrainingRun} is for
 * {@code cxr train}: a saved model on every image of a dataset folder (class sub-folders named like
 * the model's classes; a folder may hold only some of them), with the same report as training.
 */
public final class EvaluationRun {
    /**
     * The report, and the image of each of its predictions (for the gallery of report.html).
     *
     * @param images the samples, in the order of {@code report.predictions()}
     */
    /**
     * @param images      the images evaluated, in the report's order
     * @param model       the model evaluated
     * @param weightsFile the VGG16 weights it ran on
     */
    public record Result(Report report, List<Sample> images, ModelFile model, Path weightsFile) {}

    private EvaluationRun() {}

    /**
     * @param weights        the VGG16 weights file given by the user, or null
     * @param defaultWeights where to get the weights when none is given and the training file is gone
     */
    public static Result run(
            Backend backend,
            Path modelFile,
            Path datasetDir,
            Path weights,
            Supplier<Path> defaultWeights,
            Consumer<String> log) {
        long start = System.nanoTime();
        ModelFile model = ModelFile.read(modelFile, log);
        ImageFolder folder = ImageFolder.scan(datasetDir, log);
        List<Sample> samples = new ArrayList<>();
        for (Sample s : folder.samples()) {
            String name = folder.classes().get(s.label());
            int label = model.classes().indexOf(name);
            if (label < 0) {
                throw new CxrException("dataset class '" + name + "' is not one the model knows ("
                        + String.join(", ", model.classes()) + "): name the class folders like the model's classes");
            }
            samples.add(new Sample(s.file(), s.relativePath(), label));
        }
        if (samples.isEmpty()) {
            throw new CxrException("dataset folder " + datasetDir + " has no images in its class folders");
        }
        Path weightsFile = Classifier.chooseWeights(model, weights, defaultWeights);
        try (Classifier classifier = Classifier.open(backend, model, weightsFile)) {
            List<ImageResult<Sample, RgbImage>> loaded = classifier.extractor().load(samples);
            List<Sample> usable = ImageResult.usable(loaded);
            List<ImageResult<Sample, RgbImage>> skipped = ImageResult.failed(loaded);
            for (ImageResult<Sample, RgbImage> s : skipped) {
                log.accept("warning: skipping " + s.error());
            }
            if (usable.isEmpty()) {
                throw new CxrException("none of the " + samples.size() + " images in " + datasetDir + " could be read");
            }
            if (!skipped.isEmpty()) {
                log.accept("warning: skipped " + skipped.size() + " of " + samples.size() + " images");
            }
            float[][] probs = classifier.probabilities(ImageResult.values(loaded));
            int[] labels = usable.stream().mapToInt(Sample::label).toArray();
            ClassificationMetrics metrics = ClassificationMetrics.of(model.classes(), labels, probs);
            List<Prediction> predictions = new ArrayList<>();
            for (int i = 0; i < probs.length; i++) {
                Sample s = usable.get(i);
                predictions.add(
                        new Prediction(s.relativePath(), s.label(), ClassificationMetrics.argmax(probs[i]), probs[i]));
            }
            Map<String, Object> settings = new LinkedHashMap<>();
            settings.put("model", modelFile.toAbsolutePath().toString());
            settings.put("dataset", datasetDir.toAbsolutePath().toString());
            settings.put("images", usable.size() + (skipped.isEmpty() ? "" : " (" + skipped.size() + " skipped)"));
            settings.put("preprocessing", model.preprocessing().toString());
            settings.put("seed", model.seed());
            settings.put("weights", weightsFile.toAbsolutePath().toString());
            settings.put("weights md5", model.baseMd5());
            settings.put("device", backend.name());
            settings.put("time", String.format(Locale.ROOT, "%.1f s", (System.nanoTime() - start) / 1e9));
            Map<String, Object> extra = new LinkedHashMap<>();
            extra.put("skipped", skipped.stream().map(ImageResult::error).toList());
            List<String> notes = List.of(
                    "An external labelled set, from another source than the training images,"
                            + " is the test to trust; a split of the training dataset shares its sources, and often its patients.");
            return new Result(
                    Report.of(
                            "cxr evaluate: " + modelFile.getFileName() + " on " + usable.size() + " images",
                            settings,
                            metrics,
                            predictions,
                            notes,
                            extra,
                            model.seed()),
                    usable,
                    model,
                    weightsFile);
        }
    }
}
