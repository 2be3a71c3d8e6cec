package dev.cxr.model.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cxr.model.image.ImageDecoder;
import dev.cxr.model.image.Resize;
import dev.cxr.model.image.RgbImage;
import dev.cxr.model.testing.Repo;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PerceptualHashTest {
    @TempDir
    Path tmp;

    @Test
    void copiesStayCloseAndOtherPicturesDoNot() {
        Path xray = Repo.bundledDataset().resolve("normal/person1102_bacteria_3043.jpeg");
        RgbImage img = ImageDecoder.read(xray);
        long h = PerceptualHash.of(img);
        assertEquals(h, PerceptualHash.of(ImageDecoder.read(xray)), "deterministic");
        assertEquals(31, Long.bitCount(h), "63 frequencies, half of them (31) above their median");
        assertEquals(0, h & 1, "the DC bit is never set");

        long q30 = PerceptualHash.of(ImageDecoder.read(PlantedImages.reencoded(xray, tmp.resolve("q30.jpg"), 0.3f)));
        long small = PerceptualHash.of(Resize.bilinear(img, img.width() / 3, img.height() / 3));
        assertTrue(
                PerceptualHash.distance(h, q30) <= AuditConfig.NEAR_DISTANCE,
                "JPEG quality 30: " + PerceptualHash.distance(h, q30));
        assertTrue(
                PerceptualHash.distance(h, small) <= AuditConfig.NEAR_DISTANCE,
                "a third the size: " + PerceptualHash.distance(h, small));

        long other = PerceptualHash.of(
                ImageDecoder.read(Repo.bundledDataset().resolve("normal/person259_bacteria_1220.jpeg")));
        assertTrue(
                PerceptualHash.distance(h, other) > 2 * AuditConfig.NEAR_DISTANCE,
                "another child's film: " + PerceptualHash.distance(h, other));
        long synthetic = PerceptualHash.of(PlantedImages.chest(300, 260, 1));
        assertTrue(PerceptualHash.distance(h, synthetic) > 2 * AuditConfig.NEAR_DISTANCE);
        assertEquals(16, PerceptualHash.hex(h).length(), "16 hex digits");
    }

    @Test
    void averagingCoversEveryPixelOnce() {
        // a 40x33 image whose pixel values are their column: each of the 32 cells averages whole columns
        byte[] px = new byte[40 * 33 * 3];
        for (int y = 0; y < 33; y++) {
            for (int x = 0; x < 40; x++) {
                for (int c = 0; c < 3; c++) {
                    px[(y * 40 + x) * 3 + c] = (byte) (x * 5);
                }
            }
        }
        double[][] cells = PerceptualHash.averagedLuma(new RgbImage(40, 33, px));
        // cell 0 takes columns x with x * 32 / 40 == 0: x = 0, 1 -> mean 2.5 (0.299 + 0.587 + 0.114 = 1)
        assertEquals(2.5, cells[0][0], 1e-9);
        assertEquals(cells[0][0], cells[31][0], 1e-12, "rows do not matter");
        // cell 31: x = 39 only
        assertEquals(195, cells[5][31], 1e-9);
    }
}
