package dev.cxr.model.explain;

import dev.cxr.engine.CxrException;
import dev.cxr.engine.backend.Backend;
import dev.cxr.engine.layers.Layer;
import dev.cxr.engine.layers.MaxPool2d;
import dev.cxr.engine.layers.Sequential;
import dev.cxr.engine.layers.Softmax;
import dev.cxr.engine.tensor.Shape;
import dev.cxr.engine.tensor.Tensor;
import dev.cxr.model.classifier.Classifier;
import dev.cxr.model.classifier.Head;
import dev.cxr.model.classifier.ModelFile;
import dev.cxr.model.eval.ClassificationMetrics;
import dev.cxr.model.features.FeatureExtractor;
import dev.cxr.model.features.FrozenBase;
import dev.cxr.model.features.ImageResult;
import dev.cxr.model.features.ImageSource;
import dev.cxr.model.features.InputImages;
import dev.cxr.model.image.Resize;
import dev.cxr.model.image.RgbImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * A trained model's class-activation maps for images: the full VGG16 base (not the corner the
 * classifier computes: the map needs all 14x14 positions) runs forward to block5_conv3 and keeps
 * its output A; block5_pool and the head run forward to the logits and backward from the explained
 * class's logit to dY/dA; {@link CamMaps} makes the map, {@link Overlay} the picture. The
 * probabilities are the classifier's (block5_pool's rows and columns 0-3 are the same values).
 *
 * <p>Images go {@link #BATCH} at a time: decoded in parallel, then through the network together.
 * Not for use from several threads at once (the layers keep what backward needs).
 */
public final class Explainer implements AutoCloseable {
    /** The last convolution: the finest map that still sees the whole image's features. */
    public static final String TARGET_LAYER = "block5_conv3";
    /** The {@link Options#target()} that explains each image's own predicted class. */
    public static final String PREDICTED = "predicted";
    /** Images per forward pass (the full base keeps about 60 MB of activations per image). */
    public static final int BATCH = FeatureExtractor.BATCH;

    /**
     * What to explain and how to draw it.
     *
     * @param method      HiResCAM (the default) or Grad-CAM
     * @param target      a class name of the model, or {@link #PREDICTED}
     * @param displaySide the overlay's longest side in pixels (the caption is added below)
     */
    public record Options(CamMethod method, String target, int displaySide) {
        public Options {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(target, "target");
            if (displaySide < 128) {
                throw new IllegalArgumentException(
                        "the overlay needs at least 128 pixels for its caption, got " + displaySide);
            }
        }

        /** HiResCAM of the predicted class, {@link Overlay#DISPLAY_SIDE} pixels. */
        public static Options defaults() {
            return new Options(CamMethod.HIRESCAM, PREDICTED, Overlay.DISPLAY_SIDE);
        }
    }

    /** An image decoded once: the network's input and the picture shown. */
    private record Loaded(RgbImage input, RgbImage shown) {}

    private final ModelFile model;
    private final FrozenBase base;
    private final Head head;
    private final ActivationGradients gradients;
    private final Options options;
    private final int target;
    private final int mapSize;
    private final int rowsRead;

    private Explainer(
            ModelFile model,
            FrozenBase base,
            Head head,
            ActivationGradients gradients,
            Options options,
            int target,
            int mapSize,
            int rowsRead) {
        this.model = model;
        this.base = base;
        this.head = head;
        this.gradients = gradients;
        this.options = options;
        this.target = target;
        this.mapSize = mapSize;
        this.rowsRead = rowsRead;
    }

    /**
     * The explainer of {@code model} on the VGG16 weights in {@code weightsFile}.
     *
     * @throws CxrException when the weights are not the ones the model was trained on, or the
     *                      target is not one of the model's classes
     */
    public static Explainer open(Backend backend, ModelFile model, Path weightsFile, Options options) {
        int target = targetIndex(model, options.target());
        FrozenBase base = FrozenBase.load(backend, weightsFile);
        Head head = null;
        try {
            Classifier.requireTrainedOn(model, base, weightsFile);
            // dropout never runs here; its generator is only there because the layer needs one
            head = Head.faithful(
                    backend, model.channels(), model.classes().size(), Head.DROPOUT, new SplittableRandom(0));
            model.loadInto(head);
            head.network().freeze();
            List<Layer> layers = base.network().layers();
            int at = indexOf(layers, TARGET_LAYER);
            List<Layer> headLayers = head.network().layers();
            if (!(headLayers.get(headLayers.size() - 1) instanceof Softmax softmax)) {
                throw new IllegalStateException("the head does not end in a softmax: " + headLayers);
            }
            List<Layer> after = new ArrayList<>(layers.subList(at + 1, layers.size()));
            after.addAll(headLayers.subList(0, headLayers.size() - 1));
            Sequential toTarget = new Sequential("vgg16 to " + TARGET_LAYER, layers.subList(0, at + 1));
            Sequential toLogits = new Sequential(TARGET_LAYER + " to logits", after);
            ActivationGradients g = new ActivationGradients(backend, toTarget, toLogits, softmax);
            int size = model.inputSize();
            int mapSize = toTarget.outputShape(Shape.of(1, 3, size, size)).h();
            int featureSize =
                    base.network().outputShape(Shape.of(1, 3, size, size)).h();
            int rowsRead = rowsRead(layers.subList(at + 1, layers.size()), Head.featureRowsRead(featureSize));
            return new Explainer(model, base, head, g, options, target, mapSize, rowsRead);
        } catch (RuntimeException e) {
            if (head != null) {
                head.close();
            }
            base.close();
            throw e;
        }
    }

    private static int targetIndex(ModelFile model, String target) {
        if (PREDICTED.equals(target)) {
            return -1;
        }
        int i = model.classes().indexOf(target);
        if (i < 0) {
            throw new CxrException("no class '" + target + "' to explain: the model's classes are "
                    + String.join(", ", model.classes()) + " (or " + PREDICTED + ")");
        }
        return i;
    }

    private static int indexOf(List<Layer> layers, String name) {
        for (int i = 0; i < layers.size(); i++) {
            if (layers.get(i).name().equals(name)) {
                return i;
            }
        }
        throw new IllegalStateException("the base has no layer " + name);
    }

    /**
     * The rows (and columns) 0..R-1 of the target's output that reach the first {@code featureRows}
     * of the base's output, back through the pools after the target: 4 rows of block5_pool read 8 of
     * block5_conv3.
     */
    static int rowsRead(List<Layer> afterTarget, int featureRows) {
        int need = featureRows;
        for (int i = afterTarget.size() - 1; i >= 0; i--) {
            if (!(afterTarget.get(i) instanceof MaxPool2d pool)) {
                throw new IllegalStateException("no receptive field known for " + afterTarget.get(i));
            }
            need = (need - 1) * pool.spec().strideH() + pool.spec().poolH();
        }
        return need;
    }

    public ModelFile model() {
        return model;
    }

    public List<String> classes() {
        return model.classes();
    }

    public Options options() {
        return options;
    }

    /** The map's side: 14 for a 224x224 input. */
    public int mapSize() {
        return mapSize;
    }

    /** The rows and columns 0..R-1 of the map that reach the head: 8. */
    public int rowsRead() {
        return rowsRead;
    }

    /** The VGG16 weights' md5 (the model's base). */
    public String weightsMd5() {
        return base.md5();
    }

    public String backendName() {
        return base.backend().name();
    }

    /**
     * One image explained.
     *
     * @throws CxrException the image's one line when it cannot be used
     */
    public Explanation explain(ImageSource source) {
        ImageResult<ImageSource, Explanation> r = explainAll(List.of(source)).get(0);
        if (!r.ok()) {
            throw new CxrException(r.error());
        }
        return r.value();
    }

    /**
     * One image explained with another method or class than this explainer's options: the call the
     * HTML report's gallery makes (Grad-CAM of the predicted class, say) on an explainer opened once.
     * {@link Explanation#overlayPng()} is the picture to inline.
     *
     * @param target a class name of the model, or {@link #PREDICTED}
     * @throws CxrException the image's one line when it cannot be used, or the class is not the model's
     */
    public Explanation explain(ImageSource source, CamMethod method, String target) {
        ImageResult<ImageSource, Explanation> r =
                explainAll(List.of(source), method, target).get(0);
        if (!r.ok()) {
            throw new CxrException(r.error());
        }
        return r.value();
    }

    /** Every source explained, one result per source in order, or the one line why it cannot be. */
    public <S extends ImageSource> List<ImageResult<S, Explanation>> explainAll(List<S> sources) {
        return explainAll(sources, options.method(), options.target());
    }

    /** As {@link #explainAll(List)}, with this method and class instead of the options'. */
    public <S extends ImageSource> List<ImageResult<S, Explanation>> explainAll(
            List<S> sources, CamMethod method, String target) {
        Objects.requireNonNull(method, "method");
        int explained = targetIndex(model, target);
        List<ImageResult<S, Explanation>> out = new ArrayList<>(sources.size());
        for (int start = 0; start < sources.size(); start += BATCH) {
            List<ImageResult<S, Loaded>> loaded = load(sources.subList(start, Math.min(sources.size(), start + BATCH)));
            List<Explanation> done =
                    explainLoaded(ImageResult.usable(loaded), ImageResult.values(loaded), method, explained);
            int i = 0;
            for (ImageResult<S, Loaded> l : loaded) {
                int at = l.ok() ? i++ : -1;
                out.add(l.map(x -> done.get(at)));
            }
        }
        return out;
    }

    // decoded in parallel (the results keep the sources' order), each image once for both uses
    private <S extends ImageSource> List<ImageResult<S, Loaded>> load(List<S> sources) {
        int size = model.inputSize();
        @SuppressWarnings("unchecked")
        ImageResult<S, Loaded>[] results = new ImageResult[sources.size()];
        IntStream.range(0, sources.size()).parallel().forEach(i -> {
            S source = sources.get(i);
            try {
                RgbImage full = InputImages.decode(source);
                results[i] = ImageResult.of(
                        source,
                        new Loaded(
                                Resize.bilinear(full, size, size),
                                Overlay.fitLongestSide(full, options.displaySide())));
            } catch (CxrException e) {
                results[i] = ImageResult.failed(source, e.getMessage());
            }
        });
        return List.of(results);
    }

    private List<Explanation> explainLoaded(
            List<? extends ImageSource> sources, List<Loaded> images, CamMethod method, int target) {
        List<Explanation> out = new ArrayList<>(images.size());
        if (images.isEmpty()) {
            return out;
        }
        ActivationGradients.Result r =
                gradients(images.stream().map(Loaded::input).toList(), target);
        Shape a = r.shape();
        int k = model.classes().size();
        for (int i = 0; i < images.size(); i++) {
            float[] map = CamMaps.map(method, r.activations(), r.gradients(), r.offset(i), a.c(), a.h(), a.w());
            float[] p = Arrays.copyOfRange(r.probabilities(), i * k, (i + 1) * k);
            int predicted = ClassificationMetrics.argmax(p);
            Overlay.Caption caption = new Overlay.Caption(
                    fileName(sources.get(i).name()),
                    model.classes(),
                    p,
                    predicted,
                    method,
                    r.explained()[i],
                    TARGET_LAYER);
            RgbImage overlay = Overlay.render(images.get(i).shown(), map, mapSize, rowsRead, caption);
            out.add(new Explanation(
                    sources.get(i).name(),
                    method,
                    model.classes(),
                    p,
                    predicted,
                    r.explained()[i],
                    TARGET_LAYER,
                    mapSize,
                    rowsRead,
                    map,
                    overlay,
                    Overlay.png(overlay)));
        }
        return out;
    }

    /**
     * block5_conv3's activations and the explained logit's gradient for network inputs already
     * loaded ({@code inputSize} square), one forward and one backward pass; the class is the
     * options' one.
     */
    ActivationGradients.Result gradients(List<RgbImage> inputs) {
        return gradients(inputs, target);
    }

    // target: a class index, or -1 for each image's predicted class
    ActivationGradients.Result gradients(List<RgbImage> inputs, int target) {
        int n = inputs.size();
        int size = model.inputSize();
        int per = 3 * size * size;
        float[] chw = new float[n * per];
        for (int i = 0; i < n; i++) {
            model.preprocessing().toChw(inputs.get(i), chw, i * per);
        }
        try (Tensor x = base.backend().upload(Shape.of(n, 3, size, size), chw)) {
            return gradients.run(x, (i, predicted) -> target < 0 ? predicted : target);
        }
    }

    /** The last part of a source's name: a file's name without its folders. */
    public static String fileName(String name) {
        int slash = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
        return name.substring(slash + 1);
    }

    @Override
    public void close() {
        head.close();
        base.close();
    }
}
