package dev.cxr.cli;

import dev.cxr.engine.CxrException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * Where the defaults live: the bundled dataset {@code data/covid-xray-50} and the {@code runs/}
 * folder, under the repository root that the {@code ./cxr} launcher exports as {@code CXR_REPO},
 * or under the working directory when cxr runs without it.
 */
final class RepoPaths {
    static final String DATASET = "data/covid-xray-50";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private final Path base;
    private final boolean fromLauncher;

    RepoPaths(String cxrRepo, Path workingDir) {
        this.fromLauncher = cxrRepo != null && !cxrRepo.isBlank();
        this.base = fromLauncher ? Path.of(cxrRepo) : workingDir;
    }

    static RepoPaths fromEnvironment() {
        return new RepoPaths(System.getenv("CXR_REPO"), Path.of("").toAbsolutePath());
    }

    /** The dataset given, or the bundled one, which must exist. */
    Path dataset(Path given) {
        if (given != null) {
            return given;
        }
        Path bundled = base.resolve(DATASET);
        if (!Files.isDirectory(bundled)) {
            throw new CxrException("no --dataset given and the bundled dataset is not at " + bundled
                    + (fromLauncher ? "" : " (run cxr from the repository root or through ./cxr,")
                    + (fromLauncher ? ": pass --dataset DIR" : " or pass --dataset DIR)"));
        }
        return bundled;
    }

    /** The output folder given, or a new runs/&lt;timestamp&gt;/ (with -2, -3... if that exists). */
    Path output(Path given, LocalDateTime now) {
        if (given != null) {
            return given;
        }
        Path runs = base.resolve("runs");
        String stamp = STAMP.format(now);
        Path candidate = runs.resolve(stamp);
        for (int i = 2; Files.exists(candidate); i++) {
            candidate = runs.resolve(stamp + "-" + i);
        }
        return candidate;
    }
}
