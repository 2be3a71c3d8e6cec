package dev.cxr.model.classifier;

import dev.cxr.engine.CxrException;
import dev.cxr.engine.backend.Backend;
import dev.cxr.engine.tensor.Tensor;
import dev.cxr.model.features.FeatureExtractor;
import dev.cxr.model.features.FrozenBase;
import dev.cxr.model.features.ImageResult;
import dev.cxr.model.features.ImageSource;
import dev.cxr.model.image.RgbImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * A trained model ready to classify images: the frozen VGG16 base it was trained on (the corner its
 * head reads), its features through {@link FeatureExtractor}, and the head with the saved weights.
 * Used by {@code evaluate} and {@code predict}; inference only.
 */
public final class Classifier implements AutoCloseable {
    private final ModelFile model;
    private final FeatureExtractor extractor;
    private final Head head;

    private Classifier(ModelFile model, FeatureExtractor extractor, Head head) {
        this.model = model;
        this.extractor = extractor;
        this.head = head;
    }

    /**
     * Builds the classifier of {@code model} on the VGG16 weights in {@code weightsFile}.
     *
     * @throws CxrException when the weights are not the ones the model was trained on
     */
    public static Classifier open(Backend backend, ModelFile model, Path weightsFile) {
        return open(backend, model, weightsFile, FeatureExtractor.BATCH);
    }

    /**
     * {@link #open(Backend, ModelFile, Path)} with {@code batchSize} images per forward pass (a GPU
     * runs 32 at a time about 1.8x faster than 8; each image costs about 60 MB of activations).
     *
     * @throws CxrException when the weights are not the ones the model was trained on
     */
    public static Classifier open(Backend backend, ModelFile model, Path weightsFile, int batchSize) {
        if (batchSize < 1) {
            throw new CxrException("--batch-size must be at least 1, got " + batchSize);
        }
        FrozenBase base = FrozenBase.loadCorner(backend, weightsFile, Head.featureRowsRead(Head.FEATURE_SIZE));
        try {
            requireTrainedOn(model, base, weightsFile);
            // dropout never runs at inference; its generator is only there because the layer needs one
            Head head = Head.faithful(
                    backend, model.channels(), model.classes().size(), Head.DROPOUT, new SplittableRandom(0));
            model.loadInto(head);
            FeatureExtractor extractor =
                    new FeatureExtractor(base, model.preprocessing(), model.inputSize(), batchSize);
            return new Classifier(model, extractor, head);
        } catch (RuntimeException e) {
            base.close();
            throw e;
        }
    }

    /**
     * Refuses a base other than the one {@code model} was trained on (another weights file, or
     * other widths): its head would read features it never saw.
     *
     * @throws CxrException saying which weights the model needs
     */
    public static void requireTrainedOn(ModelFile model, FrozenBase base, Path weightsFile) {
        if (!base.md5().equals(model.baseMd5())) {
            throw new CxrException(
                    "the model was trained on VGG16 weights with md5 " + model.baseMd5() + ", but " + weightsFile
                            + " has md5 " + base.md5() + ": pass the weights it was trained with (--weights FILE)");
        }
        if (!Arrays.equals(base.widths(), model.baseWidths())) {
            // the md5 matched, so the model's own record is wrong
            throw new CxrException("the model records VGG16 widths " + Arrays.toString(model.baseWidths())
                    + ", but its weights " + weightsFile + " (md5 matching) have widths "
                    + Arrays.toString(base.widths()) + ": the model file is damaged");
        }
        if (model.inputSize() < base.inputSize()) {
            throw new CxrException("the model claims an input size of " + model.inputSize() + ", smaller than the "
                    + base.inputSize() + " pixels its base reads: the model file is damaged");
        }
        if (base.channels() != model.channels()) {
            throw new CxrException("the model expects " + model.channels() + " feature channels, " + weightsFile
                    + " gives " + base.channels());
        }
    }

    /**
     * Which VGG16 weights to use for a saved model: the file given, else the file it was trained
     * with when that still exists, else the default (the verified ImageNet file).
     */
    public static Path chooseWeights(ModelFile model, Path given, Supplier<Path> defaultWeights) {
        if (given != null) {
            return given;
        }
        Path hint = Path.of(model.baseWeightsHint());
        if (Files.isRegularFile(hint)) {
            return hint;
        }
        return defaultWeights.get();
    }

    public ModelFile model() {
        return model;
    }

    public List<String> classes() {
        return model.classes();
    }

    /** The way images reach the head: the model's input size and preprocessing on its base. */
    public FeatureExtractor extractor() {
        return extractor;
    }

    /**
     * The class probabilities of every source, one result per source in order, or why it has none.
     * Each {@link FeatureExtractor#batchSize()} sources are decoded in parallel, and their usable
     * images go through the base and the head as one batch.
     */
    public <S extends ImageSource> List<ImageResult<S, float[]>> classify(List<S> sources) {
        List<ImageResult<S, float[]>> out = new ArrayList<>(sources.size());
        int batch = extractor.batchSize();
        for (int start = 0; start < sources.size(); start += batch) {
            List<ImageResult<S, float[]>> features =
                    extractor.extract(sources.subList(start, Math.min(sources.size(), start + batch)));
            List<float[]> usable = ImageResult.values(features);
            float[][] probs = headProbabilities(concat(usable), usable.size());
            int i = 0;
            for (ImageResult<S, float[]> f : features) {
                int at = f.ok() ? i++ : -1;
                out.add(f.map(x -> probs[at]));
            }
        }
        return out;
    }

    /** Class probabilities of images already loaded ({@link FeatureExtractor#imageSize()} square). */
    public float[][] probabilities(List<RgbImage> images) {
        float[] feats = extractor.features(images);
        float[][] out = new float[images.size()][];
        int per = extractor.featureShape(1).size();
        for (int start = 0; start < images.size(); start += extractor.batchSize()) {
            int n = Math.min(extractor.batchSize(), images.size() - start);
            float[][] p = headProbabilities(Arrays.copyOfRange(feats, start * per, (start + n) * per), n);
            System.arraycopy(p, 0, out, start, n);
        }
        return out;
    }

    /** The head on {@code n} images' features [n, C, h, w], one forward pass: [n][classes]. */
    private float[][] headProbabilities(float[] features, int n) {
        float[][] out = new float[n][];
        if (n == 0) {
            return out;
        }
        Backend backend = extractor.base().backend();
        int k = model.classes().size();
        try (Tensor x = backend.upload(extractor.featureShape(n), features)) {
            float[] p = head.probabilities(x, backend);
            for (int i = 0; i < n; i++) {
                out[i] = Arrays.copyOfRange(p, i * k, (i + 1) * k);
            }
        }
        return out;
    }

    private static float[] concat(List<float[]> rows) {
        int per = rows.isEmpty() ? 0 : rows.get(0).length;
        float[] out = new float[rows.size() * per];
        for (int i = 0; i < rows.size(); i++) {
            System.arraycopy(rows.get(i), 0, out, i * per, per);
        }
        return out;
    }

    @Override
    public void close() {
        head.close();
        extractor.base().close();
    }
}
