package dev.cxr.model.audit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Copies of one image in a dataset. Exact duplicates have the same bytes (SHA-256); near duplicates
 * have different bytes but perceptual hashes at most {@code maxDistance} bits apart (a re-encoded,
 * resized or re-saved copy). A copy in another class is a label conflict: the same picture said to
 * be two things. A copy on both sides of a split tests a model on an image it trained on.
 *
 * @param maxDistance the largest Hamming distance between perceptual hashes counted as a near copy
 */
public record Duplicates(int maxDistance, List<ExactDuplicate> exact, List<NearDuplicate> near) {

    /** Both images (all of an exact set) in one class. */
    public static final String WITHIN_CLASS = "within class";
    /** A label conflict. */
    public static final String ACROSS_CLASSES = "across classes (label conflict)";

    /** Files with identical bytes, in dataset order. */
    public record ExactDuplicate(String sha256, List<String> paths, List<String> classes, String kind) {}

    /** Two files with different bytes and nearly the same picture. */
    public record NearDuplicate(
            String first, String second, String firstClass, String secondClass, int distance, String kind) {}

    public Duplicates {
        exact = List.copyOf(exact);
        near = List.copyOf(near);
    }

    /** Searches every pair of images (n^2 / 2 hash comparisons). */
    public static Duplicates find(List<ImageFacts> images, int maxDistance) {
        Map<String, List<ImageFacts>> bySha = new LinkedHashMap<>();
        for (ImageFacts f : images) {
            bySha.computeIfAbsent(f.sha256(), k -> new ArrayList<>()).add(f);
        }
        List<ExactDuplicate> exact = new ArrayList<>();
        for (Map.Entry<String, List<ImageFacts>> e : bySha.entrySet()) {
            List<ImageFacts> same = e.getValue();
            if (same.size() > 1) {
                List<String> classes = same.stream().map(ImageFacts::className).toList();
                exact.add(new ExactDuplicate(
                        e.getKey(),
                        same.stream().map(ImageFacts::path).toList(),
                        classes,
                        classes.stream().distinct().count() > 1 ? ACROSS_CLASSES : WITHIN_CLASS));
            }
        }
        long[] hash = images.stream().mapToLong(ImageFacts::hashBits).toArray();
        List<NearDuplicate> near = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            for (int j = i + 1; j < images.size(); j++) {
                int d = PerceptualHash.distance(hash[i], hash[j]);
                if (d <= maxDistance
                        && !images.get(i).sha256().equals(images.get(j).sha256())) {
                    ImageFacts a = images.get(i);
                    ImageFacts b = images.get(j);
                    near.add(new NearDuplicate(
                            a.path(),
                            b.path(),
                            a.className(),
                            b.className(),
                            d,
                            a.label() == b.label() ? WITHIN_CLASS : ACROSS_CLASSES));
                }
            }
        }
        return new Duplicates(maxDistance, exact, near);
    }

    /** Exact sets of the given kind. */
    public long exactCount(String kind) {
        return exact.stream().filter(e -> e.kind().equals(kind)).count();
    }

    /** Near pairs of the given kind. */
    public long nearCount(String kind) {
        return near.stream().filter(e -> e.kind().equals(kind)).count();
    }

    /**
     * The copies whose images are on different sides: {@code side} maps each image path to its side
     * (train 0 / test 1, or its fold). An exact set is listed when its files are not all on one side.
     */
    public Duplicates across(Map<String, Integer> side) {
        List<ExactDuplicate> e = exact.stream()
                .filter(x -> x.paths().stream().map(side::get).distinct().count() > 1)
                .toList();
        List<NearDuplicate> n = near.stream()
                .filter(x -> !side.get(x.first()).equals(side.get(x.second())))
                .toList();
        return new Duplicates(maxDistance, e, n);
    }
}
