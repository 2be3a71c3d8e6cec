package dev.cxr.model.audit;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * One class's images by how they are stored: counts by format, colour mode and size band (by the
 * shorter side), and the medians of the sizes. Classes that differ here differ in source.
 */
public record ClassProfile(
        int images,
        Map<String, Integer> formats,
        Map<String, Integer> colourModes,
        Map<String, Integer> sizeBands,
        double medianWidth,
        double medianHeight,
        double medianShortSide,
        double medianBytes,
        double meanColouredShare) {

    /** The size bands, by the shorter side in pixels. */
    public static String sizeBand(int shortSide) {
        if (shortSide < 512) {
            return "short side under 512";
        }
        if (shortSide < 1000) {
            return "short side 512-999";
        }
        if (shortSide < 2000) {
            return "short side 1000-1999";
        }
        return "short side 2000 and over";
    }

    public static ClassProfile of(List<ImageFacts> images) {
        return new ClassProfile(
                images.size(),
                count(images, ImageFacts::format),
                inOrder(count(images, ImageFacts::colourMode), FileFacts.COLOUR_MODES),
                inOrder(count(images, f -> sizeBand(f.shortSide())), bands()),
                median(images, ImageFacts::width),
                median(images, ImageFacts::height),
                median(images, ImageFacts::shortSide),
                median(images, ImageFacts::bytes),
                images.stream().mapToDouble(ImageFacts::colouredShare).average().orElse(Double.NaN));
    }

    private static Map<String, Integer> count(List<ImageFacts> images, Function<ImageFacts, String> key) {
        Map<String, Integer> m = new TreeMap<>();
        for (ImageFacts f : images) {
            m.merge(key.apply(f), 1, Integer::sum);
        }
        return m;
    }

    private static Map<String, Integer> inOrder(Map<String, Integer> counts, List<String> order) {
        Map<String, Integer> m = new java.util.LinkedHashMap<>();
        for (String b : order) {
            if (counts.containsKey(b)) {
                m.put(b, counts.get(b));
            }
        }
        return m;
    }

    private static double median(List<ImageFacts> images, ToDoubleFunction<ImageFacts> value) {
        double[] v = images.stream().mapToDouble(value).sorted().toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    /** The bands in size order. */
    public static List<String> bands() {
        return Arrays.asList(sizeBand(0), sizeBand(512), sizeBand(1000), sizeBand(2000));
    }
}
