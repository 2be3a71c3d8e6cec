package dev.cxr.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/** Runs {@link Main#run} in-process with captured streams, and finds the repository's files, for the cli tests. */
final class CliRun {
    final int exit;
    final String out;
    final String err;

    private CliRun(int exit, String out, String err) {
        this.exit = exit;
        this.out = out;
        this.err = err;
    }

    int exit() {
        return exit;
    }

    String out() {
        return out;
    }

    String err() {
        return err;
    }

    static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new CliRun(code, out.toString(), err.toString());
    }

    /** The last line on stderr that starts with "cxr: " (the error line). */
    String errorLine() {
        String[] lines = err.split("\n");
        for (int i = lines.length - 1; i >= 0; i--) {
            if (lines[i].startsWith("cxr: ")) {
                return lines[i];
            }
        }
        return "";
    }

    /** The last line printed on stderr. */
    String lastErrorLine() {
        String[] lines = err.strip().split("\n");
        return lines[lines.length - 1];
    }

    /** A file of the repository, found from the working directory upwards. */
    static Path repoFile(String relative) {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            Path candidate = dir.resolve(relative);
            if (Files.exists(candidate)) {
                return candidate;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException(
                relative + " not found above " + Path.of("").toAbsolutePath());
    }

    /** A file in ../shared/reference beside the repository, or null where it is absent (a fresh clone). */
    static Path sharedReference(String name) {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            Path candidate = dir.resolve("../shared/reference").resolve(name).normalize();
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
            dir = dir.getParent();
        }
        return null;
    }

    /** The narrow VGG16 fixture in the model module's test resources (a forward costs about 0.3 s). */
    static Path narrowWeights() {
        return repoFile("model/src/test/resources/reference/small/vgg16-narrow-seed11-notop.h5");
    }

    /** Three small images per class of the bundled dataset, copied into {@code target}. */
    static Path sixImages(Path target) throws java.io.IOException {
        Path src = repoFile("data/covid-xray-50");
        String[] files = {
            "covid/auntminnie-b-2020_01_28_23_51_6665_2020_01_28_Vietnam_coronavirus.jpeg",
            "covid/auntminnie-d-2020_01_28_23_51_6665_2020_01_28_Vietnam_coronavirus.jpeg",
            "covid/nCoV-radiol.2020200269.fig1-day7.jpeg",
            "normal/person1102_bacteria_3043.jpeg",
            "normal/person259_bacteria_1220.jpeg",
            "normal/person525_bacteria_2216.jpeg",
        };
        for (String f : files) {
            Path to = target.resolve(f);
            Files.createDirectories(to.getParent());
            Files.copy(src.resolve(f), to);
        }
        return target;
    }

    @Override
    public String toString() {
        return "exit " + exit + "\nout: " + out + "\nerr: " + err;
    }
}
