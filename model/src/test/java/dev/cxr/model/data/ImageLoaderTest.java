package dev.cxr.model.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cxr.engine.CxrException;
import dev.cxr.model.image.RgbImage;
import dev.cxr.model.testing.Images;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageLoaderTest {
    @TempDir
    Path dir;

    @Test
    void resizesToTheInputSize() {
        RgbImage img = ImageLoader.load(Images.png(dir.resolve("a.png"), 50, 40, 1), 24);
        assertEquals(24, img.width());
        assertEquals(24, img.height());
    }

    @Test
    void refusesImagesTooSmallToBeAnXray() {
        Path one = Images.png(dir.resolve("one.png"), 1, 1, 1);
        CxrException e = assertThrows(CxrException.class, () -> ImageLoader.load(one, 224));
        assertEquals(one + ": too small to be an X-ray (1x1 pixels; at least 32x32 needed)", e.getMessage());
        assertThrows(CxrException.class, () -> ImageLoader.load(Images.png(dir.resolve("thin.png"), 500, 31, 1), 224));
        ImageLoader.load(Images.png(dir.resolve("ok.png"), 32, 32, 1), 224);
    }

    @Test
    void badFilesAreSkippedWithAReasonAndTheRestKeptInOrder() {
        List<Sample> samples = List.of(
                new Sample(Images.png(dir.resolve("c/good1.png"), 40, 40, 1), "c/good1.png", 0),
                new Sample(Images.bytes(dir.resolve("c/empty.jpg"), new byte[0]), "c/empty.jpg", 0),
                new Sample(Images.bytes(dir.resolve("c/text.jpg"),
                        "not an image at all".getBytes(StandardCharsets.US_ASCII)), "c/text.jpg", 0),
                new Sample(Images.truncatedJpeg(dir.resolve("n/truncated.jpeg"), 300), "n/truncated.jpeg", 1),
                new Sample(Images.png(dir.resolve("n/tiny.png"), 1, 1, 2), "n/tiny.png", 1),
                new Sample(dir.resolve("n/vanished.png"), "n/vanished.png", 1),
                new Sample(Images.png(dir.resolve("n/good2.png"), 33, 60, 3), "n/good2.png", 1));
        ImageLoader.Loaded loaded = ImageLoader.loadAll(samples, 16);
        assertEquals(List.of("c/good1.png", "n/good2.png"), loaded.samples().stream().map(Sample::relativePath).toList());
        assertEquals(2, loaded.images().size());
        assertEquals(List.of("empty.jpg", "text.jpg", "truncated.jpeg", "tiny.png", "vanished.png"),
                loaded.skipped().stream().map(s -> s.file().getFileName().toString()).toList());
        assertTrue(loaded.skipped().get(0).reason().endsWith("empty.jpg: empty file (0 bytes), not an image"));
        assertTrue(loaded.skipped().get(4).reason().endsWith("vanished.png: file not found"));
        for (ImageLoader.Skipped s : loaded.skipped()) {
            assertTrue(s.reason().contains(s.file().getFileName().toString()), "the reason names the file: " + s.reason());
            assertTrue(!s.reason().contains("\n"), "one line: " + s.reason());
        }
    }
}
