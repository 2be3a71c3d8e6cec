package dev.cxr.model.classifier;

import dev.cxr.engine.CxrException;
import dev.cxr.engine.backend.Backend;
import dev.cxr.engine.tensor.Shape;
import dev.cxr.engine.tensor.Tensor;
import dev.cxr.model.image.Preprocessing;
import dev.cxr.model.image.RgbImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * A trained model ready to classify images: the frozen VGG16 base it was trained on, and its head
 * with the saved weights. Used by {@code evaluate} and {@code predict}; inference only.
 */
public final class Classifier implements AutoCloseable {
    private final ModelFile model;
    private final FrozenBase base;
    private final Head head;

    private Classifier(ModelFile model, FrozenBase base, Head head) {
        this.model = model;
        this.base = base;
        this.head = head;
    }

    /**
     * Builds the classifier of {@code model} on the VGG16 weights in {@code weightsFile}.
     *
     * @throws CxrException when the weights are not the ones the model was trained on
     */
    public static Classifier open(Backend backend, ModelFile model, Path weightsFile) {
        FrozenBase base = FrozenBase.loadCorner(backend, weightsFile, Head.featureRowsRead(Head.FEATURE_SIZE));
        try {
            if (!base.md5().equals(model.baseMd5())) {
                throw new CxrException("the model was trained on VGG16 weights with md5 " + model.baseMd5() + ", but "
                        + weightsFile + " has md5 " + base.md5() + ": pass the weights it was trained with (--weights FILE)");
            }
            if (base.channels() != model.channels()) {
                throw new CxrException("the model expects " + model.channels() + " feature channels, " + weightsFile
                        + " gives " + base.channels());
            }
            // dropout never runs at inference; its generator is only there because the layer needs one
            Head head = Head.faithful(backend, model.channels(), model.classes().size(), Head.DROPOUT,
                    new SplittableRandom(0));
            model.loadInto(head);
            return new Classifier(model, base, head);
        } catch (RuntimeException e) {
            base.close();
            throw e;
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

    /** Class probabilities of each image (already decoded and resized to the input size), in chunks. */
    public float[][] probabilities(List<RgbImage> images) {
        float[][] out = new float[images.size()][];
        float[] feats = features(base, images, model.preprocessing());
        int per = feats.length / Math.max(1, images.size());
        Backend backend = base.backend();
        int k = model.classes().size();
        for (int start = 0; start < images.size(); start += FEATURE_BATCH) {
            int n = Math.min(FEATURE_BATCH, images.size() - start);
            float[] chunk = new float[n * per];
            System.arraycopy(feats, start * per, chunk, 0, n * per);
            try (Tensor x = backend.upload(base.outputShape(n), chunk)) {
                float[] p = head.probabilities(x, backend);
                for (int i = 0; i < n; i++) {
                    out[start + i] = java.util.Arrays.copyOfRange(p, i * k, (i + 1) * k);
                }
            }
        }
        return out;
    }

    /** Images per forward pass through the base: bounds the activations' memory (about 60 MB per image). */
    public static final int FEATURE_BATCH = 8;

    /**
     * The base's features of every image, [N, C, h, w] row-major on the host (7x7 for VGG16, 4x4 for
     * the corner base), computed in chunks of
     * {@link #FEATURE_BATCH}.
     */
    public static float[] features(FrozenBase base, List<RgbImage> images, Preprocessing preprocessing) {
        if (images.isEmpty()) {
            return new float[0];
        }
        int size = images.get(0).width();
        int perImage = 3 * size * size;
        int perFeature = base.outputShape(1).size();
        float[] out = new float[images.size() * perFeature];
        Backend backend = base.backend();
        for (int start = 0; start < images.size(); start += FEATURE_BATCH) {
            int n = Math.min(FEATURE_BATCH, images.size() - start);
            float[] chw = new float[n * perImage];
            for (int i = 0; i < n; i++) {
                preprocessing.toChw(images.get(start + i), chw, i * perImage);
            }
            float[] f = backend.download(base.forward(chw, n, size));
            System.arraycopy(f, 0, out, start * perFeature, f.length);
        }
        return out;
    }

    @Override
    public void close() {
        head.close();
        base.close();
    }
}
