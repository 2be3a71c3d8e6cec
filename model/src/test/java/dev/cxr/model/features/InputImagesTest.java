package dev.cxr.model.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cxr.engine.CxrException;
import dev.cxr.model.data.Sample;
import dev.cxr.model.image.RgbImage;
import dev.cxr.model.testing.Images;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InputImagesTest {
    @TempDir
    Path dir;

    @Test
    void resizesToTheInputSize() {
        RgbImage img = InputImages.load(new PathSource(Images.png(dir.resolve("a.png"), 50, 40, 1)), 24);
        assertEquals(24, img.width());
        assertEquals(24, img.height());
    }

    @Test
    void refusesImagesTooSmallToBeAnXray() throws Exception {
        Path one = Images.png(dir.resolve("one.png"), 1, 1, 1);
        CxrException e = assertThrows(CxrException.class, () -> InputImages.load(new PathSource(one), 224));
        assertEquals(one + ": too small to be an X-ray (1x1 pixels; at least 32x32 needed)", e.getMessage());
        CxrException fromBytes = assertThrows(
                CxrException.class, () -> InputImages.decode(new BytesSource("one.png", Files.readAllBytes(one))));
        assertEquals("one.png: too small to be an X-ray (1x1 pixels; at least 32x32 needed)", fromBytes.getMessage());
        assertThrows(
                CxrException.class,
                () -> InputImages.load(new PathSource(Images.png(dir.resolve("thin.png"), 500, 31, 1)), 224));
        InputImages.load(new PathSource(Images.png(dir.resolve("ok.png"), 32, 32, 1)), 224);
    }

    @Test
    void bytesLoadAsTheirFileDoes() throws Exception {
        Path f = Images.png(dir.resolve("a.png"), 50, 40, 3);
        assertArrayEquals(
                InputImages.load(new PathSource(f), 24).pixels(),
                InputImages.load(new BytesSource("a.png", Files.readAllBytes(f)), 24)
                        .pixels());
    }

    @Test
    void badFilesAreResultsWithAReasonAndTheRestKeptInOrder() {
        List<Sample> samples = List.of(
                new Sample(Images.png(dir.resolve("c/good1.png"), 40, 40, 1), "c/good1.png", 0),
                new Sample(Images.bytes(dir.resolve("c/empty.jpg"), new byte[0]), "c/empty.jpg", 0),
                new Sample(
                        Images.bytes(
                                dir.resolve("c/text.jpg"), "not an image at all".getBytes(StandardCharsets.US_ASCII)),
                        "c/text.jpg",
                        0),
                new Sample(Images.truncatedJpeg(dir.resolve("n/truncated.jpeg"), 300), "n/truncated.jpeg", 1),
                new Sample(Images.png(dir.resolve("n/tiny.png"), 1, 1, 2), "n/tiny.png", 1),
                new Sample(dir.resolve("n/vanished.png"), "n/vanished.png", 1),
                new Sample(Images.png(dir.resolve("n/good2.png"), 33, 60, 3), "n/good2.png", 1));
        List<ImageResult<Sample, RgbImage>> loaded = InputImages.loadAll(samples, 16);
        assertEquals(samples, loaded.stream().map(ImageResult::source).toList(), "one result per source, in order");
        assertEquals(
                List.of("c/good1.png", "n/good2.png"),
                ImageResult.usable(loaded).stream().map(Sample::relativePath).toList());
        assertEquals(2, ImageResult.values(loaded).size());
        List<ImageResult<Sample, RgbImage>> failed = ImageResult.failed(loaded);
        assertEquals(
                List.of("empty.jpg", "text.jpg", "truncated.jpeg", "tiny.png", "vanished.png"),
                failed.stream()
                        .map(s -> s.source().file().getFileName().toString())
                        .toList());
        assertTrue(failed.get(0).error().endsWith("empty.jpg: empty file (0 bytes), not an image"));
        assertEquals("file not found", failed.get(4).reason());
        for (ImageResult<Sample, RgbImage> s : failed) {
            assertNull(s.value());
            assertFalse(s.ok());
            assertEquals(
                    s.source().name() + ": " + s.reason(), s.error(), "the error names the file, the reason does not");
            assertTrue(!s.error().contains("\n"), "one line: " + s.error());
        }
    }

    @Test
    void aDecoderThatFailsOtherwiseIsStillOneLine() {
        ImageSource broken = new ImageSource() {
            @Override
            public String name() {
                return "broken";
            }

            @Override
            public RgbImage decode() {
                throw new IllegalStateException("a codec's own bug");
            }
        };
        List<ImageResult<ImageSource, RgbImage>> loaded = InputImages.loadAll(new ArrayList<>(List.of(broken)), 8);
        assertEquals(
                "broken: cannot decode image (java.lang.IllegalStateException: a codec's own bug)",
                loaded.get(0).error());
    }
}
