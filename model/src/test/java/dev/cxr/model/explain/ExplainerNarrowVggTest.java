package dev.cxr.model.explain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cxr.engine.CxrException;
import dev.cxr.engine.backend.Backend;
import dev.cxr.engine.backend.Backends;
import dev.cxr.engine.backend.Device;
import dev.cxr.engine.backend.cpu.ReferenceBackend;
import dev.cxr.engine.backend.cuda.CudaProbe;
import dev.cxr.engine.backend.cuda.CudaStatus;
import dev.cxr.engine.tensor.Shape;
import dev.cxr.engine.testing.Compare;
import dev.cxr.engine.testing.Compare.Tolerance;
import dev.cxr.model.classifier.Classifier;
import dev.cxr.model.classifier.ModelFile;
import dev.cxr.model.features.ImageResult;
import dev.cxr.model.features.ImageSource;
import dev.cxr.model.features.InputImages;
import dev.cxr.model.image.Preprocessing;
import dev.cxr.model.image.RgbImage;
import dev.cxr.model.testing.Backends4Tests;
import dev.cxr.model.testing.NarrowModel;
import dev.cxr.model.testing.NarrowVgg;
import dev.cxr.model.testing.Repo;
import dev.cxr.model.testing.VggTestFiles;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * The explainer on the narrow VGG16 fixture (widths 8/16/32/32/32; a forward pass costs about
 * 0.3 s on the reference backend) with a seeded random head: the gradient at block5_conv3 against
 * central differences of the logit, the two maps against their definitions, HiResCAM zero where
 * the head does not read, and the backends against each other.
 */
class ExplainerNarrowVggTest {
    private static final ModelFile MODEL = NarrowModel.of(21, Preprocessing.TUTORIAL);
    private static final ImageSource IMAGE =
            ImageSource.of(Repo.bundledDataset().resolve("normal/person525_bacteria_2216.jpeg"));
    /** Far below the gaps between distinct activations of block5_conv3 (values of order 1), far above double rounding. */
    private static final double STEP = 1e-4;
    /** The maps recomputed here in double from the same A and dY/dA: only the final float rounding differs. */
    private static final double MAP_TOL_OF_MAX = 1e-6;
    /**
     * The fast backend's convolutions differ from the reference by up to a few 1e-5 of max through
     * the network (FrozenBaseCornerTest); the maps are sums of products of those values.
     */
    private static final Tolerance FAST_MAPS = new Tolerance(
            "fast cpu maps", 2e-4, "Winograd and FMA rounding through 13 convolutions, then sums of 512 products");
    /** cuDNN's own algorithms per layer (FrozenBaseCornerTest allows 1e-4 of max for the features). */
    private static final Tolerance GPU_MAPS = new Tolerance(
            "gpu maps", 1e-3, "cuDNN's algorithms (Winograd, FFT) through 13 convolutions, then sums of products");

    private static Explainer open(Backend backend, CamMethod method, String target) {
        return Explainer.open(backend, MODEL, NarrowVgg.weights(), new Explainer.Options(method, target, 256));
    }

    @Test
    void gradientAtBlock5Conv3IsTheCentralDifferenceOfTheLogit() {
        try (Backend backend = new ReferenceBackend();
                Explainer ex = open(backend, CamMethod.HIRESCAM, "covid")) {
            ActivationGradients.Result r = ex.gradients(List.of(InputImages.load(IMAGE, 224)));
            assertEquals(Shape.of(1, 32, 14, 14), r.shape());
            assertEquals(0, r.explained()[0], "covid's logit, whatever the prediction");
            PoolHeadOracle oracle = new PoolHeadOracle(
                    32, 14, 14, MODEL.denseKernel(), MODEL.denseBias(), MODEL.dense1Kernel(), MODEL.dense1Bias());
            double[] a = new double[32 * 14 * 14];
            for (int i = 0; i < a.length; i++) {
                a[i] = r.activations()[i];
            }
            double[] logits = oracle.logits(a);
            assertEquals(logits[0], r.logits()[0], 1e-5 * (1 + Math.abs(logits[0])), "the logit is the oracle's");
            double[] fd = oracle.centralDifferences(r.activations(), 0, 0, STEP);
            int compared = Differences.assertMatches("block5_conv3", r.gradients(), 0, fd);
            // ReLU leaves about half of the 2x2 windows all zero: a tie, where no difference is a
            // gradient. Every element left out is within a step of a tie in its window.
            int carrying = 0;
            int carryingCompared = 0;
            for (int i = 0; i < fd.length; i++) {
                if (r.gradients()[i] != 0) {
                    carrying++;
                    carryingCompared += Double.isNaN(fd[i]) ? 0 : 1;
                }
                if (Double.isNaN(fd[i])) {
                    assertTrue(gapToWindow(a, i) <= STEP, "left out though no tie is near: element " + i);
                }
            }
            assertTrue(compared > a.length / 2, "compared " + compared + " of " + a.length);
            assertTrue(
                    carrying >= 32 * 16 / 2 && carryingCompared >= 200,
                    "compared " + carryingCompared + " of the " + carrying + " elements with a gradient");
        }
    }

    /** |a[i] - the largest other value of its 2x2 max-pool window| in a [C, 14, 14] map. */
    private static double gapToWindow(double[] a, int i) {
        int k = i / 196;
        int y = i % 196 / 14 / 2 * 2;
        int x = i % 14 / 2 * 2;
        double other = Double.NEGATIVE_INFINITY;
        for (int dy = 0; dy < 2; dy++) {
            for (int dx = 0; dx < 2; dx++) {
                int j = (k * 14 + y + dy) * 14 + x + dx;
                if (j != i) {
                    other = Math.max(other, a[j]);
                }
            }
        }
        return Math.abs(a[i] - other);
    }

    @Test
    void hiResCamIsZeroWhereTheHeadDoesNotReadAndGradCamIsNot() {
        RgbImage input = InputImages.load(IMAGE, 224);
        try (Backend backend = new ReferenceBackend();
                Explainer hires = open(backend, CamMethod.HIRESCAM, Explainer.PREDICTED);
                Explainer grad = open(backend, CamMethod.GRADCAM, Explainer.PREDICTED);
                Classifier classifier = Classifier.open(backend, MODEL, NarrowVgg.weights())) {
            assertEquals(14, hires.mapSize());
            assertEquals(8, hires.rowsRead(), "block5_pool's rows 0-3 read block5_conv3's rows 0-7");
            Explanation h = hires.explain(IMAGE);
            Explanation g = grad.explain(IMAGE);
            ActivationGradients.Result r = hires.gradients(List.of(input));
            float[] a = r.activations();
            float[] dy = r.gradients();
            int c = r.shape().c();

            int insideNonZero = 0;
            for (int y = 0; y < 14; y++) {
                for (int x = 0; x < 14; x++) {
                    double sum = 0;
                    for (int k = 0; k < c; k++) {
                        sum += (double) dy[(k * 14 + y) * 14 + x] * a[(k * 14 + y) * 14 + x];
                    }
                    assertEquals(
                            Math.max(0, sum), h.at(y, x), MAP_TOL_OF_MAX * h.max(), "HiResCAM (" + y + "," + x + ")");
                    if (y >= 8 || x >= 8) {
                        assertEquals(
                                0,
                                Float.floatToRawIntBits(h.at(y, x)),
                                "exactly +0 outside the corner: (" + y + "," + x + ")");
                    } else {
                        insideNonZero += h.at(y, x) > 0 ? 1 : 0;
                    }
                }
            }
            assertTrue(insideNonZero >= 8, "HiResCAM has heat in the corner: " + insideNonZero + " of 64 cells");

            // Grad-CAM's weights: the mean gradient over all 196 positions, all of it from the corner
            double[] w = new double[c];
            for (int k = 0; k < c; k++) {
                for (int y = 0; y < 8; y++) {
                    for (int x = 0; x < 8; x++) {
                        w[k] += dy[(k * 14 + y) * 14 + x];
                    }
                }
                w[k] /= 196;
            }
            int outsideHot = 0;
            for (int y = 0; y < 14; y++) {
                for (int x = 0; x < 14; x++) {
                    double sum = 0;
                    for (int k = 0; k < c; k++) {
                        sum += w[k] * a[(k * 14 + y) * 14 + x];
                    }
                    assertEquals(
                            Math.max(0, sum), g.at(y, x), MAP_TOL_OF_MAX * g.max(), "Grad-CAM (" + y + "," + x + ")");
                    outsideHot += (y >= 8 || x >= 8) && g.at(y, x) > 0 ? 1 : 0;
                }
            }
            assertTrue(outsideHot > 0, "Grad-CAM paints heat where the head does not read");

            assertEquals(h.explained(), h.predicted());
            assertEquals("hirescam", h.method().toString());
            float[] p = classifier.classify(List.of(IMAGE)).get(0).value();
            assertArrayEquals(
                    p, h.probabilities(), "the classifier's own probabilities (its corner base, bit for bit)");
            assertArrayEquals(p, g.probabilities());
        }
    }

    @Test
    void overlayIsTheScaledPictureWithItsCaption() throws IOException {
        try (Backend backend = new ReferenceBackend();
                Explainer ex = open(backend, CamMethod.HIRESCAM, "normal")) {
            Explanation e = ex.explain(IMAGE);
            RgbImage full = IMAGE.decode();
            RgbImage shown = Overlay.fitLongestSide(full, 256);
            assertEquals(256, Math.max(shown.width(), shown.height()));
            assertEquals(shown.width(), e.overlay().width());
            assertTrue(
                    e.overlay().height() > shown.height() + 60,
                    "a caption below the picture: " + e.overlay().height());
            BufferedImage png = ImageIO.read(new ByteArrayInputStream(e.overlayPng()));
            assertEquals(e.overlay().width(), png.getWidth());
            assertEquals(e.overlay().height(), png.getHeight());
            assertEquals("normal", e.explainedClass());
        }
    }

    @Test
    void badImageIsOneLineAndTheOthersAreStillExplained() {
        ImageSource bad = ImageSource.of("notes.jpg", "not an image".getBytes(StandardCharsets.US_ASCII));
        try (Backend backend = new ReferenceBackend();
                Explainer ex = open(backend, CamMethod.HIRESCAM, Explainer.PREDICTED)) {
            List<ImageResult<ImageSource, Explanation>> r = ex.explainAll(List.of(bad, IMAGE));
            assertFalse(r.get(0).ok());
            assertTrue(
                    r.get(0).error().startsWith("notes.jpg: ")
                            && VggTestFiles.oneLine(r.get(0).error()),
                    r.get(0).error());
            assertTrue(r.get(1).ok());
            assertEquals(IMAGE.name(), r.get(1).value().name());
            CxrException e = assertThrows(CxrException.class, () -> ex.explain(bad));
            assertEquals(r.get(0).error(), e.getMessage());
        }
    }

    @Test
    void unknownClassIsRefusedWithTheModelsClasses() {
        try (Backend backend = new ReferenceBackend()) {
            CxrException e = assertThrows(CxrException.class, () -> open(backend, CamMethod.GRADCAM, "pneumonia"));
            assertEquals(
                    "no class 'pneumonia' to explain: the model's classes are covid, normal (or predicted)",
                    e.getMessage());
        }
    }

    @Test
    void fastCpuAgreesWithTheReferenceAndRepeatsItselfBitForBit() {
        float[] want;
        try (Backend backend = new ReferenceBackend();
                Explainer ex = open(backend, CamMethod.HIRESCAM, "covid")) {
            want = ex.explain(IMAGE).map();
        }
        try (Backend backend = Backends4Tests.cpu();
                Explainer ex = open(backend, CamMethod.HIRESCAM, "covid")) {
            Explanation first = ex.explain(IMAGE);
            Explanation second = ex.explain(IMAGE);
            Compare.assertBitExact("fast cpu, twice", first.map(), second.map());
            assertArrayEquals(first.overlayPng(), second.overlayPng(), "the same PNG bytes");
            Compare.assertWithin("fast cpu vs reference", want, first.map(), FAST_MAPS);
        }
    }

    @Test
    void gpuAgreesWithTheReference() {
        CudaStatus gpu = CudaProbe.status();
        assumeTrue(gpu.usable(), () -> "no usable GPU: " + gpu.reason());
        float[] want;
        try (Backend backend = new ReferenceBackend();
                Explainer ex = open(backend, CamMethod.GRADCAM, "covid")) {
            want = ex.explain(IMAGE).map();
        }
        try (Backend backend = Backends.open(Device.GPU, 0, 0, msg -> {});
                Explainer ex = open(backend, CamMethod.GRADCAM, "covid")) {
            Compare.assertWithin("gpu vs reference", want, ex.explain(IMAGE).map(), GPU_MAPS);
        }
    }
}
