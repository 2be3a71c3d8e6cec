package dev.cxr.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/** Runs the command line in-process and keeps what it printed; finds the repository's files. */
record CliRun(int exit, String out, String err) {

    static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new CliRun(exit, out.toString(), err.toString());
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
        throw new IllegalStateException(relative + " not found above " + Path.of("").toAbsolutePath());
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
}
