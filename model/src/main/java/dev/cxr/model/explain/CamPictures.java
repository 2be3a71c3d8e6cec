package dev.cxr.model.explain;

import dev.cxr.engine.backend.Backend;
import dev.cxr.model.classifier.ModelFile;
import dev.cxr.model.eval.Prediction;
import dev.cxr.model.features.ImageSource;
import dev.cxr.model.html.GalleryPictures;
import java.nio.file.Path;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The gallery pictures of {@code report.html} as class-activation overlays: each image with the
 * HiResCAM map of the class its model predicted, the region the head cannot see hatched. HiResCAM,
 * not Grad-CAM, because it shows only what the score depends on (see {@link CamMethod}); for the
 * tutorial's head Grad-CAM paints heat where the prediction cannot come from.
 *
 * <p>Each image is explained by the model that scored it ({@code modelOf}: one model for a training
 * run or an evaluation, each fold's own for a cross-validation), so the overlay explains the
 * prediction beside it. An {@link Explainer} is opened once per model, on first use, and closed with
 * this object.
 */
public final class CamPictures implements GalleryPictures, AutoCloseable {
    /** The overlay's longer side before the gallery shrinks it: enough for its caption to survive that. */
    static final int DISPLAY_SIDE = 320;

    private final Backend backend;
    private final Path weightsFile;
    private final Function<Prediction, ModelFile> modelOf;
    private final Map<ModelFile, Explainer> open = new IdentityHashMap<>();

    /**
     * @param weightsFile the VGG16 weights the models were trained on
     * @param modelOf     the model that made each prediction
     */
    public CamPictures(Backend backend, Path weightsFile, Function<Prediction, ModelFile> modelOf) {
        this.backend = backend;
        this.weightsFile = weightsFile;
        this.modelOf = modelOf;
    }

    /** One model for every picture. */
    public CamPictures(Backend backend, Path weightsFile, ModelFile model) {
        this(backend, weightsFile, p -> model);
    }

    @Override
    public Picture picture(ImageSource image, Prediction prediction) {
        Explainer explainer = open.computeIfAbsent(
                modelOf.apply(prediction),
                m -> Explainer.open(
                        backend,
                        m,
                        weightsFile,
                        new Explainer.Options(CamMethod.HIRESCAM, Explainer.PREDICTED, DISPLAY_SIDE)));
        Explanation e = explainer.explain(image);
        return new Picture(
                e.overlayPng(),
                CamMethod.HIRESCAM.title() + " overlay of the predicted class (" + e.explainedClass()
                        + "); hatched: what the head cannot see");
    }

    @Override
    public void close() {
        for (Explainer e : open.values()) {
            e.close();
        }
        open.clear();
    }
}
