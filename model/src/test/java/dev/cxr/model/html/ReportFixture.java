package dev.cxr.model.html;

import dev.cxr.model.eval.ClassificationMetrics;
import dev.cxr.model.eval.Prediction;
import dev.cxr.model.eval.Report;
import dev.cxr.model.features.BytesSource;
import dev.cxr.model.features.ImageSource;
import dev.cxr.model.train.EpochMetrics;
import dev.cxr.model.train.TrainingPlot;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * A report of 8 images held in memory (PNG bytes with names), written with its plots into a folder,
 * for the report.html tests: 2 covid and 1 normal image misclassified, one file name holding a
 * {@code <script>} element and one setting holding another, and an overlay for one image.
 */
final class ReportFixture {
    static final List<String> CLASSES = List.of("covid", "normal");
    /** A name that runs a script if it is not escaped. */
    static final String SCRIPT_NAME = "covid/<script>window.cxrInjected=1</script>x.png";

    static final String SCRIPT_SETTING = "<script>window.cxrInjected=2</script><b>bold?</b>";
    /** The image that gets an overlay. */
    static final String OVERLAID = "normal/n1.png";
    /** What its overlay says it is. */
    static final String OVERLAY_CAPTION = "test overlay of <normal>";

    final Report report;
    final List<ImageSource> sources;
    final GalleryPictures overlays;

    private ReportFixture(Report report, List<ImageSource> sources, GalleryPictures overlays) {
        this.report = report;
        this.sources = sources;
        this.overlays = overlays;
    }

    /** Writes report.txt, report.json, roc.png, calibration.png and plot.png into {@code dir}. */
    static ReportFixture writeTo(Path dir) {
        String[] names = {
            SCRIPT_NAME,
            "covid/c2.png",
            "covid/c3.png",
            "covid/c4.png",
            OVERLAID,
            "normal/n2.png",
            "normal/n3.png",
            "normal/n4.png"
        };
        int[] labels = {0, 0, 0, 0, 1, 1, 1, 1};
        double[] pCovid = {0.30, 0.45, 0.90, 0.70, 0.20, 0.65, 0.05, 0.40};
        List<Prediction> predictions = new ArrayList<>();
        List<ImageSource> sources = new ArrayList<>();
        float[][] probs = new float[names.length][];
        for (int i = 0; i < names.length; i++) {
            probs[i] = new float[] {(float) pCovid[i], (float) (1 - pCovid[i])};
            predictions.add(new Prediction(names[i], labels[i], ClassificationMetrics.argmax(probs[i]), probs[i]));
            // sizes of X-ray proportions, one wide and one larger than a thumbnail
            sources.add(new BytesSource(names[i], png(i == 1 ? 600 : 300 + 10 * i, i == 1 ? 300 : 360, i, false)));
        }
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("dataset", "/data/<i>set</i>");
        settings.put("weights md5", "0123456789abcdef0123456789abcdef");
        settings.put("note", SCRIPT_SETTING);
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("skipped", List.of("normal/<img src=x onerror=alert(1)>.png: empty file (0 bytes), not an image"));
        Report report = Report.of(
                "cxr test report",
                settings,
                ClassificationMetrics.of(CLASSES, labels, probs),
                predictions,
                List.of("a note with <em>markup</em>"),
                extra,
                42L);
        report.writeTo(dir);
        List<EpochMetrics> history = List.of(
                new EpochMetrics(1, 0.9, 0.5, 0.8, 0.5, 1e-3), new EpochMetrics(2, 0.6, 0.75, 0.7, 0.625, 1e-3));
        TrainingPlot.write(dir.resolve("plot.png"), history);
        byte[] overlay = png(224, 224, 99, true);
        GalleryPictures overlays =
                (s, p) -> s.name().equals(OVERLAID) ? new GalleryPictures.Picture(overlay, OVERLAY_CAPTION) : null;
        return new ReportFixture(report, sources, overlays);
    }

    Page page(Path dir) {
        return ReportPages.of(
                report, dir, List.of(), ReportGallery.of(CLASSES, report.predictions(), sources, overlays));
    }

    /** A PNG with a gradient and a bright disc (never one flat value); in colour for an overlay. */
    static byte[] png(int w, int h, int seed, boolean colour) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int v = (x * 255 / w + y * 97 / h + seed * 13) % 256;
                double dx = x - w / 2.0;
                double dy = y - h / 2.0;
                if (dx * dx + dy * dy < (w * h) / 16.0) {
                    v = 255 - v / 3;
                }
                img.setRGB(x, y, colour ? (v << 16) | ((255 - v) << 8) | 40 : (v << 16) | (v << 8) | v);
            }
        }
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(img, "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
