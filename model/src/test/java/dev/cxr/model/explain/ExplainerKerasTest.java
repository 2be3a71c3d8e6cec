package dev.cxr.model.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cxr.engine.backend.Backend;
import dev.cxr.engine.backend.cpu.ReferenceBackend;
import dev.cxr.engine.testing.H5;
import dev.cxr.engine.testing.Resources;
import dev.cxr.model.classifier.Head;
import dev.cxr.model.classifier.ModelFile;
import dev.cxr.model.features.FrozenBase;
import dev.cxr.model.features.ImageSource;
import dev.cxr.model.image.Preprocessing;
import dev.cxr.model.image.RgbImage;
import dev.cxr.model.testing.NarrowVgg;
import dev.cxr.model.testing.Repo;
import dev.cxr.model.testing.VggTestFiles;
import io.jhdf.HdfFile;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The maps against TensorFlow's: {@code explain/cam-narrow-seed11.h5} holds HiResCAM and Grad-CAM
 * at block5_conv3 of the narrow VGG16 fixture, for both classes of two X-rays, computed by Keras
 * with tf.GradientTape from the same uint8 inputs and a seeded head stored beside them
 * ({@code make_cam_reference.py}). Nothing of the engine made those numbers.
 */
class ExplainerKerasTest {
    /**
     * max|java - tf| / max|tf| of a map: block5_conv3 agrees with TF to about 1e-5 of its max
     * (Vgg16NumericsTest allows 1e-4 for block5_pool), the gradient through the head is a few
     * float roundings more, and a map is a sum of 32 products of the two.
     */
    private static final double MAP_TOL_OF_MAX = 1e-4;
    /** Logits of order 1 from 32 features through two Dense layers in float32. */
    private static final double LOGIT_TOL = 1e-4;

    private static HdfFile fixture() {
        return new HdfFile(Resources.path("explain/cam-narrow-seed11.h5"));
    }

    private static ModelFile model(HdfFile h5) {
        try (Backend backend = new ReferenceBackend();
                FrozenBase base = FrozenBase.load(backend, NarrowVgg.weights());
                Head head = Head.faithful(backend, base.channels(), 2, Head.DROPOUT, new SplittableRandom(0))) {
            head.dense().kernel().set(H5.floats(h5, "head/dense_kernel"));
            head.dense().bias().set(H5.floats(h5, "head/dense_bias"));
            head.dense1().kernel().set(H5.floats(h5, "head/dense_1_kernel"));
            head.dense1().bias().set(H5.floats(h5, "head/dense_1_bias"));
            return ModelFile.of(head, List.of("covid", "normal"), 224, Preprocessing.TUTORIAL, base, 14);
        }
    }

    private static List<String> images(HdfFile h5) {
        return List.of((String[]) h5.getAttribute("images").getData()).stream()
                .map(n -> n.substring(n.lastIndexOf('/') + 1))
                .toList();
    }

    @Test
    void bothMapsOfBothClassesAreTensorFlows() {
        try (HdfFile h5 = fixture();
                HdfFile inputs = new HdfFile(Resources.path("reference/small/vgg16-narrow-seed11-expected.h5"));
                Backend backend = new ReferenceBackend();
                Explainer ex = Explainer.open(backend, model(h5), NarrowVgg.weights(), Explainer.Options.defaults())) {
            List<String> names = images(h5);
            assertEquals(2, names.size());
            List<RgbImage> rgb = names.stream()
                    .map(n -> new RgbImage(224, 224, VggTestFiles.bytes(inputs, "resized_rgb_u8/" + n)))
                    .toList();
            int gradCamOutsideHot = 0;
            for (int k = 0; k < 2; k++) {
                String cls = ex.classes().get(k);
                ActivationGradients.Result r = ex.gradients(rgb, k);
                for (int i = 0; i < names.size(); i++) {
                    String n = names.get(i);
                    float[] logits = H5.floats(h5, n + "/logits");
                    for (int j = 0; j < 2; j++) {
                        assertEquals(logits[j], r.logits()[i * 2 + j], LOGIT_TOL, n + " logit " + j);
                    }
                    for (CamMethod m : CamMethod.values()) {
                        float[] want = H5.floats(h5, n + "/" + cls + "/" + m);
                        float[] got = CamMaps.map(
                                m,
                                r.activations(),
                                r.gradients(),
                                r.offset(i),
                                r.shape().c(),
                                14,
                                14);
                        assertMapNear(n + " " + cls + " " + m, want, got);
                        if (m == CamMethod.GRADCAM) {
                            gradCamOutsideHot += outsideCorner(got);
                        } else {
                            assertEquals(0, outsideCorner(want), "TF's HiResCAM is zero outside the corner too");
                            assertEquals(0, outsideCorner(got));
                        }
                    }
                }
            }
            assertTrue(
                    gradCamOutsideHot > 100, "Grad-CAM paints outside the corner for some class: " + gradCamOutsideHot);
        }
    }

    @Test
    void theWholePipelineFromTheJpegGivesTensorFlowsMap() {
        try (HdfFile h5 = fixture();
                Backend backend = new ReferenceBackend();
                Explainer ex = Explainer.open(backend, model(h5), NarrowVgg.weights(), Explainer.Options.defaults())) {
            String name = images(h5).get(0);
            // decode + resize equal OpenCV's bit for bit on this file (ResizeTest)
            ImageSource source = ImageSource.of(Repo.bundledDataset().resolve("covid/" + name));
            Explanation e = ex.explain(source, CamMethod.GRADCAM, "normal");
            assertEquals(CamMethod.GRADCAM, e.method());
            assertEquals("normal", e.explainedClass());
            assertMapNear(name + " explain()", H5.floats(h5, name + "/normal/gradcam"), e.map());
            float[] p = H5.floats(h5, name + "/probabilities");
            assertEquals(p[0], e.probabilities()[0], 1e-5);
            assertEquals(p[1], e.probabilities()[1], 1e-5);
        }
    }

    private static void assertMapNear(String what, float[] want, float[] got) {
        assertEquals(want.length, got.length, what);
        double max = 0;
        double err = 0;
        for (int i = 0; i < want.length; i++) {
            max = Math.max(max, Math.abs(want[i]));
            err = Math.max(err, Math.abs(want[i] - got[i]));
        }
        if (max == 0) {
            for (float g : got) {
                assertEquals(0f, g, what + ": TF's map is zero everywhere");
            }
            return;
        }
        System.out.printf(Locale.ROOT, "%s: max|java - tf| / max|tf| = %.2e%n", what, err / max);
        assertTrue(
                err <= MAP_TOL_OF_MAX * max,
                String.format(Locale.ROOT, "%s: max|java - tf| = %.3g, %.2e of max %.3g", what, err, err / max, max));
    }

    // cells with heat outside rows and columns 0-7
    private static int outsideCorner(float[] map) {
        int n = 0;
        for (int y = 0; y < 14; y++) {
            for (int x = 0; x < 14; x++) {
                n += (y >= 8 || x >= 8) && map[y * 14 + x] > 0 ? 1 : 0;
            }
        }
        return n;
    }
}
