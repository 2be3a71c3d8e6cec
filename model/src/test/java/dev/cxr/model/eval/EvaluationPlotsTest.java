package dev.cxr.model.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluationPlotsTest {
    @TempDir
    Path tmp;

    /** Counts the pixels of one colour, after checking the picture's size. */
    private static int pixelsOf(Path png, int rgb) throws Exception {
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(EvaluationPlots.SIZE, img.getWidth());
        assertEquals(EvaluationPlots.SIZE, img.getHeight());
        int n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                n += (img.getRGB(x, y) & 0xffffff) == rgb ? 1 : 0;
            }
        }
        return n;
    }

    @Test
    void writesBothPicturesAtomically() throws Exception {
        List<Scored> s = RocAucTest.scored(new double[] {0.9, 0.8, 0.4, 0.65}, new double[] {0.7, 0.3, 0.2, 0.05});
        BinaryEvaluation e = BinaryEvaluation.of(s);
        Path roc = tmp.resolve("roc.png");
        Path cal = tmp.resolve("calibration.png");
        EvaluationPlots.writeRoc(roc, e.roc(), e.rocAuc(), "ROC");
        EvaluationPlots.writeCalibration(cal, e.calibration(), "Reliability");
        assertTrue(pixelsOf(roc, 0x1f77b4) > 200, "the ROC curve is drawn in its blue");
        assertTrue(pixelsOf(cal, 0xd62728) > 200, "the reliability curve is drawn in its red");
        assertEquals(
                List.of("calibration.png", "roc.png"),
                java.nio.file.Files.list(tmp)
                        .map(p -> p.getFileName().toString())
                        .sorted()
                        .toList(),
                "no temporary files left");
        // one class only: still a picture, no exception
        EvaluationPlots.writeRoc(
                tmp.resolve("one.png"),
                RocCurve.of(RocAucTest.scored(new double[] {0.3}, new double[] {})),
                RocAuc.delong(RocAucTest.scored(new double[] {0.3}, new double[] {})),
                "one class");
    }
}
