package dev.cxr.model.html;

import dev.cxr.engine.CxrException;
import dev.cxr.model.eval.Prediction;
import dev.cxr.model.features.ImageSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * The gallery of {@code report.html}: every misclassified image (the most confidently wrong first)
 * and the {@value #MOST_CONFIDENT} most confident right ones of each class, each with its
 * probabilities and the picture a {@link GalleryPictures} gives for it ({@link GalleryPictures#AS_READ},
 * the image as read, by default; a class-activation overlay where one is plugged in), as a
 * thumbnail, so its size on the page is bounded.
 */
public final class ReportGallery {
    /** Right images shown per class, the most confident first. */
    public static final int MOST_CONFIDENT = 3;
    /** Misclassified images shown at most (about 10 kB each); the rest are counted, and all are in report.json. */
    public static final int MAX_WRONG = 400;

    private ReportGallery() {}

    /**
     * @param predictions the report's predictions; only labelled ones are shown
     * @param sources     the image of each prediction, in the same order (read again for its picture)
     * @param pictures    the picture of an entry
     */
    public static Page.Gallery of(
            List<String> classes,
            List<Prediction> predictions,
            List<? extends ImageSource> sources,
            GalleryPictures pictures) {
        if (predictions.size() != sources.size()) {
            throw new IllegalArgumentException(predictions.size() + " predictions but " + sources.size() + " images");
        }
        List<Integer> wrong = new ArrayList<>();
        List<List<Integer>> right = new ArrayList<>();
        for (int c = 0; c < classes.size(); c++) {
            right.add(new ArrayList<>());
        }
        for (int i = 0; i < predictions.size(); i++) {
            Prediction p = predictions.get(i);
            if (p.label() < 0) {
                continue;
            }
            (p.label() == p.predicted() ? right.get(p.label()) : wrong).add(i);
        }
        // stable sorts: equal probabilities keep the report's order
        wrong.sort(Comparator.comparingDouble(
                i -> -predictions.get(i).probabilities()[predictions.get(i).predicted()]));
        List<Integer> shown = new ArrayList<>(wrong.subList(0, Math.min(MAX_WRONG, wrong.size())));
        List<String> whys = new ArrayList<>();
        shown.forEach(i -> whys.add("misclassified"));
        for (int c = 0; c < classes.size(); c++) {
            List<Integer> r = right.get(c);
            r.sort(Comparator.comparingDouble(
                    i -> -predictions.get(i).probabilities()[predictions.get(i).label()]));
            for (int i : r.subList(0, Math.min(MOST_CONFIDENT, r.size()))) {
                shown.add(i);
                whys.add("most confident right " + classes.get(c));
            }
        }
        Page.Tile[] tiles = new Page.Tile[shown.size()];
        IntStream.range(0, shown.size()).parallel().forEach(t -> {
            int i = shown.get(t);
            tiles[t] = tile(classes, predictions.get(i), sources.get(i), whys.get(t), pictures);
        });
        String note = String.format(
                Locale.ROOT,
                "%d misclassified image(s)%s, and the %d most confident right ones of"
                        + " each class. A red frame marks a wrong call. Each picture is at most %d pixels on its longer"
                        + " side; its last line says what it shows.",
                wrong.size(),
                wrong.size() > MAX_WRONG ? " (the first " + MAX_WRONG + " shown; all are in report.json)" : "",
                MOST_CONFIDENT,
                Pictures.THUMBNAIL);
        return new Page.Gallery(note, List.of(tiles));
    }

    private static Page.Tile tile(
            List<String> classes, Prediction p, ImageSource source, String why, GalleryPictures pictures) {
        List<String> probs = new ArrayList<>();
        for (int c = 0; c < classes.size(); c++) {
            probs.add(String.format(Locale.ROOT, "p(%s) %.4f", classes.get(c), p.probabilities()[c]));
        }
        Page.Figure figure = null;
        String caption = null;
        String missing = null;
        try {
            GalleryPictures.Picture picture = pictures.picture(source, p);
            if (picture != null) {
                figure = Pictures.figure(picture.encoded(), p.path());
                caption = picture.caption();
            }
        } catch (CxrException e) {
            missing = e.getMessage();
        }
        if (figure == null && pictures != GalleryPictures.AS_READ) {
            try {
                figure = Pictures.figure(
                        GalleryPictures.AS_READ.picture(source, p).encoded(), p.path());
                caption = GalleryPictures.AS_READ_CAPTION + (missing == null ? "" : "; " + missing);
                missing = null;
            } catch (CxrException e) {
                missing = missing == null ? e.getMessage() : missing;
            }
        }
        if (figure == null) {
            missing = "cannot be shown: " + (missing == null ? "not a PNG or JPEG picture" : missing);
        }
        return new Page.Tile(
                p.path(),
                why,
                p.label() != p.predicted(),
                classes.get(p.label()),
                classes.get(p.predicted()),
                String.join(", ", probs),
                figure,
                caption,
                missing);
    }
}
