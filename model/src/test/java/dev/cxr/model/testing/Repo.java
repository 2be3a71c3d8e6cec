package dev.cxr.model.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The repository's bundled dataset, found from the working directory upwards, and subsets of it for cheap tests. */
public final class Repo {
    private Repo() {}

    /** data/covid-xray-50 of the repository. */
    public static Path bundledDataset() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            Path candidate = dir.resolve("data/covid-xray-50");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException(
                "data/covid-xray-50 not found above " + Path.of("").toAbsolutePath());
    }

    /** Copies the named files ({@code class/file}) of the bundled dataset into {@code target}, keeping the class folders. */
    public static Path subset(Path target, List<String> relativePaths) {
        Path src = bundledDataset();
        try {
            for (String rel : relativePaths) {
                Path to = target.resolve(rel);
                Files.createDirectories(to.getParent());
                Files.copy(src.resolve(rel), to);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return target;
    }

    /** Three small images per class (the smallest files of the bundled set): a cheap training set. */
    public static final List<String> SMALL_SIX = List.of(
            "covid/auntminnie-b-2020_01_28_23_51_6665_2020_01_28_Vietnam_coronavirus.jpeg",
            "covid/auntminnie-d-2020_01_28_23_51_6665_2020_01_28_Vietnam_coronavirus.jpeg",
            "covid/nCoV-radiol.2020200269.fig1-day7.jpeg",
            "normal/person1102_bacteria_3043.jpeg",
            "normal/person259_bacteria_1220.jpeg",
            "normal/person525_bacteria_2216.jpeg");
}
