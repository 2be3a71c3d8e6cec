package dev.cxr.model.explain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cxr.engine.backend.Backend;
import dev.cxr.engine.backend.cpu.fast.FastCpuBackend;
import dev.cxr.model.classifier.ModelFile;
import dev.cxr.model.eval.Prediction;
import dev.cxr.model.features.ImageSource;
import dev.cxr.model.html.GalleryPictures;
import dev.cxr.model.image.Preprocessing;
import dev.cxr.model.testing.NarrowModel;
import dev.cxr.model.testing.NarrowVgg;
import dev.cxr.model.testing.Repo;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** report.html's overlays: each image explained by the model that scored it, as the explainer alone draws it. */
class CamPicturesTest {
    private static final ImageSource IMAGE =
            ImageSource.of(Repo.bundledDataset().resolve("covid/1-s2.0-S0929664620300449-gr2_lrg-a.jpg"));

    @Test
    void eachPredictionIsExplainedByItsOwnModel() {
        ModelFile first = NarrowModel.of(31, Preprocessing.TUTORIAL);
        ModelFile second = NarrowModel.of(32, Preprocessing.TUTORIAL);
        Prediction byFirst = new Prediction("covid/a.jpeg", 0, 0, new float[] {0.6f, 0.4f});
        Prediction bySecond = new Prediction("covid/b.jpeg", 0, 1, new float[] {0.4f, 0.6f});
        try (Backend backend = new FastCpuBackend(2);
                CamPictures pictures =
                        new CamPictures(backend, NarrowVgg.weights(), p -> p == byFirst ? first : second)) {
            GalleryPictures.Picture a = pictures.picture(IMAGE, byFirst);
            GalleryPictures.Picture b = pictures.picture(IMAGE, bySecond);
            assertTrue(a.caption().startsWith("HiResCAM overlay of the predicted class"), a.caption());
            assertFalse(Arrays.equals(a.encoded(), b.encoded()), "two models, two overlays");
            for (ModelFile m : new ModelFile[] {first, second}) {
                try (Explainer alone = Explainer.open(
                        backend,
                        m,
                        NarrowVgg.weights(),
                        new Explainer.Options(CamMethod.HIRESCAM, Explainer.PREDICTED, CamPictures.DISPLAY_SIDE))) {
                    assertArrayEquals(
                            alone.explain(IMAGE).overlayPng(),
                            (m == first ? a : b).encoded(),
                            "the gallery's overlay is the explainer's own, from the model that made the prediction");
                }
            }
        }
    }
}
