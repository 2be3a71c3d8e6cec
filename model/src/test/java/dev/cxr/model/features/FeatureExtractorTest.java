package dev.cxr.model.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cxr.engine.backend.Backend;
import dev.cxr.engine.backend.cpu.ReferenceBackend;
import dev.cxr.engine.tensor.Shape;
import dev.cxr.model.image.Preprocessing;
import dev.cxr.model.image.RgbImage;
import dev.cxr.model.testing.NarrowVgg;
import dev.cxr.model.testing.Repo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The extractor on the narrow VGG16 fixture and the reference backend, whose sums run in the same
 * order whatever the batch: a bad image among good ones is a result of its own and leaves the
 * others' features exactly as they are alone; bytes give what their file gives; the batch size
 * changes nothing.
 */
class FeatureExtractorTest {
    private static final Path DATA = Repo.bundledDataset();

    @Test
    void everySourceGetsItsFeaturesOrItsReasonInOrder() throws Exception {
        Path a = DATA.resolve(Repo.SMALL_SIX.get(0));
        Path b = DATA.resolve(Repo.SMALL_SIX.get(3));
        List<ImageSource> sources = List.of(
                new PathSource(a),
                new BytesSource("notes.jpg", "not an image".getBytes(StandardCharsets.US_ASCII)),
                new BytesSource("upload/" + b.getFileName(), Files.readAllBytes(b)),
                new PathSource(a.resolveSibling("vanished.jpeg")));
        try (Backend backend = new ReferenceBackend();
                FrozenBase base = FrozenBase.loadCorner(backend, NarrowVgg.weights(), 4)) {
            FeatureExtractor extractor = new FeatureExtractor(base, Preprocessing.CAFFE, 224, 3);
            assertEquals(Shape.of(1, 32, 4, 4), extractor.featureShape(1));
            List<ImageResult<ImageSource, float[]>> got = extractor.extract(sources);
            assertEquals(sources, got.stream().map(ImageResult::source).toList());
            assertEquals(
                    List.of(true, false, true, false),
                    got.stream().map(ImageResult::ok).toList());
            assertEquals(
                    "not an image cxr can read (the content is neither JPEG, PNG nor DICOM)",
                    got.get(1).reason());
            assertEquals(
                    a.resolveSibling("vanished.jpeg") + ": file not found",
                    got.get(3).error());

            float[] alone = extractor.features(
                    List.of(InputImages.load(new PathSource(a), 224), InputImages.load(new PathSource(b), 224)));
            int per = 32 * 4 * 4;
            assertArrayEquals(Arrays.copyOfRange(alone, 0, per), got.get(0).value(), "a, batched with a bad image");
            assertArrayEquals(
                    Arrays.copyOfRange(alone, per, 2 * per), got.get(2).value(), "b, from bytes, in the second batch");
            assertTrue(max(alone) > 0, "features are not all zero");

            FeatureExtractor one = new FeatureExtractor(base, Preprocessing.CAFFE, 224, 1);
            assertArrayEquals(
                    alone,
                    one.features(List.of(
                            InputImages.load(new PathSource(a), 224), InputImages.load(new PathSource(b), 224))),
                    "batch size 1 gives the same bits");
        }
    }

    @Test
    void imagesOfAnotherSizeAndBadBatchSizesAreRefused() {
        try (Backend backend = new ReferenceBackend();
                FrozenBase base = FrozenBase.loadCorner(backend, NarrowVgg.weights(), 4)) {
            FeatureExtractor extractor = new FeatureExtractor(base, Preprocessing.TUTORIAL);
            assertEquals(224, extractor.imageSize());
            assertEquals(FeatureExtractor.BATCH, extractor.batchSize());
            RgbImage small = new RgbImage(100, 100, new byte[100 * 100 * 3]);
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> extractor.preprocess(List.of(small), null));
            assertTrue(e.getMessage().contains("100x100, expected 224x224"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> new FeatureExtractor(base, Preprocessing.CAFFE, 224, 0));
            assertThrows(IllegalArgumentException.class, () -> new FeatureExtractor(base, Preprocessing.CAFFE, 200, 8));
            assertFalse(extractor.extract(List.of()).iterator().hasNext());
        }
    }

    private static double max(float[] a) {
        double m = 0;
        for (float v : a) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }
}
