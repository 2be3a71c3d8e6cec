package dev.cxr.model.html;

import dev.cxr.engine.CxrException;
import dev.cxr.model.eval.Prediction;
import dev.cxr.model.features.ImageSource;
import dev.cxr.model.features.InputImages;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.IntStream;

/**
 * The gallery of {@code report.html}: every misclassified image (the most confidently wrong first)
 * and the {@value #MOST_CONFIDENT} most confident right ones of each class, each with its
 * probabilities, shown as a thumbnail of the image as read, or, where an overlay is given for it,
 * as that overlay (a class-activation heatmap drawn over the X-ray).
 *
 * <p>The overlays come in through a plain function, {@code ImageSource -> Optional<PNG or JPEG bytes>},
 * so whatever computes them needs nothing from this package; {@link #NO_OVERLAYS} shows every image
 * as read. The overlay's picture is thumbnailed like the image, so its size on the page is bounded.
 */
public final class ReportGallery {
    /** Right images shown per class, the most confident first. */
    public static final int MOST_CONFIDENT = 3;
    /** Misclassified images shown at most (about 10 kB each); the rest are counted, and all are in report.json. */
    public static final int MAX_WRONG = 400;
    /** No overlays: every image as read. */
    public static final Function<ImageSource, Optional<byte[]>> NO_OVERLAYS = source -> Optional.empty();

    private ReportGallery() {
    }

    /**
     * @param predictions the report's predictions; only labelled ones are shown
     * @param sources     the image of each prediction, in the same order (read again for its thumbnail)
     * @param overlays    an overlay picture (PNG or JPEG bytes) for an image, or empty for its thumbnail
     */
    public static Page.Gallery of(List<String> classes, List<Prediction> predictions, List<? extends ImageSource> sources,
                                  Function<ImageSource, Optional<byte[]>> overlays) {
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
        wrong.sort(Comparator.comparingDouble(i -> -predictions.get(i).probabilities()[predictions.get(i).predicted()]));
        List<Integer> shown = new ArrayList<>(wrong.subList(0, Math.min(MAX_WRONG, wrong.size())));
        List<String> whys = new ArrayList<>();
        shown.forEach(i -> whys.add("misclassified"));
        for (int c = 0; c < classes.size(); c++) {
            List<Integer> r = right.get(c);
            r.sort(Comparator.comparingDouble(i -> -predictions.get(i).probabilities()[predictions.get(i).label()]));
            for (int i : r.subList(0, Math.min(MOST_CONFIDENT, r.size()))) {
                shown.add(i);
                whys.add("most confident right " + classes.get(c));
            }
        }
        Page.Tile[] tiles = new Page.Tile[shown.size()];
        IntStream.range(0, shown.size()).parallel().forEach(t -> {
            int i = shown.get(t);
            tiles[t] = tile(classes, predictions.get(i), sources.get(i), whys.get(t), overlays);
        });
        String note = String.format(Locale.ROOT, "%d misclassified image(s)%s, and the %d most confident right ones of"
                        + " each class. A red frame marks a wrong call. Each picture is the image as read, shrunk to %d"
                        + " pixels on its longer side, or its class-activation overlay where one was made.",
                wrong.size(), wrong.size() > MAX_WRONG ? " (the first " + MAX_WRONG + " shown; all are in report.json)" : "",
                MOST_CONFIDENT, Pictures.THUMBNAIL);
        return new Page.Gallery(note, List.of(tiles));
    }

    private static Page.Tile tile(List<String> classes, Prediction p, ImageSource source, String why,
                                  Function<ImageSource, Optional<byte[]>> overlays) {
        List<String> probs = new ArrayList<>();
        for (int c = 0; c < classes.size(); c++) {
            probs.add(String.format(Locale.ROOT, "p(%s) %.4f", classes.get(c), p.probabilities()[c]));
        }
        Page.Figure picture = null;
        boolean overlay = false;
        String missing = null;
        Optional<byte[]> o = overlays.apply(source);
        if (o.isPresent()) {
            picture = Pictures.thumbnail(o.get(), p.path());
            overlay = picture != null;
        }
        if (picture == null) {
            try {
                picture = Pictures.thumbnail(InputImages.decode(source), p.path());
            } catch (CxrException e) {
                missing = "cannot be shown: " + e.getMessage();
            }
        }
        return new Page.Tile(p.path(), why, p.label() != p.predicted(), classes.get(p.label()), classes.get(p.predicted()),
                String.join(", ", probs), picture, overlay, missing);
    }
}
