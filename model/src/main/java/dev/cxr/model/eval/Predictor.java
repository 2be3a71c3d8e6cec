package dev.cxr.model.eval;

import dev.cxr.engine.CxrException;
import dev.cxr.model.classifier.Classifier;
import dev.cxr.model.data.ImageFolder;
import dev.cxr.model.features.ImageResult;
import dev.cxr.model.features.ImageSource;
import dev.cxr.model.features.PathSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * {@code cxr predict}: class probabilities for image files and folders (searched recursively for
 * images by extension or DICOM content, in sorted order), or for any image sources (bytes with
 * names). An image that cannot be used gets a row that says why; the others are still predicted.
 * Rows come out as CSV: path, predicted class, one probability column per class, error.
 */
public final class Predictor {
    /** One input's result: a prediction, or the reason there is none. */
    public record Row(String path, String predicted, float[] probabilities, String error) {
        public boolean failed() {
            return error != null;
        }
    }

    private Predictor() {}

    /** {@link #expand(List, Consumer)} without warnings. */
    public static List<Path> expand(List<Path> inputs) {
        return expand(inputs, warning -> {});
    }

    /**
     * The image files named by the arguments: files as given, folders searched recursively (links
     * to folders are not followed). Every entry found in a folder that is not a regular file nor a
     * folder (a FIFO, a broken or looping link, a link to a folder) is named in a warning.
     */
    public static List<Path> expand(List<Path> inputs, Consumer<String> warnings) {
        List<Path> files = new ArrayList<>();
        for (Path p : inputs) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.walk(p)) {
                    List<Path> found = s.filter(f -> !f.getFileName().toString().startsWith("."))
                            .filter(f -> !Files.isDirectory(f, LinkOption.NOFOLLOW_LINKS))
                            .sorted(Comparator.comparing(Path::toString))
                            .toList();
                    for (Path f : found) {
                        String why = ImageFolder.skipReason(f);
                        if (why != null) {
                            warnings.accept("warning: skipping " + f + ": " + why);
                        } else if (ImageFolder.isImageFile(f)) {
                            files.add(f);
                        }
                    }
                } catch (IOException | java.io.UncheckedIOException e) {
                    throw new CxrException("cannot list " + p + " (" + e.getMessage() + ")", e);
                }
            } else {
                files.add(p);
            }
        }
        return files;
    }

    /** Predicts every file, in order ({@link Classifier#classify}: chunks decoded in parallel, one batch each). */
    public static List<Row> predict(Classifier classifier, List<Path> files) {
        return predictSources(classifier, files.stream().map(PathSource::new).toList());
    }

    /** Predicts every image source (files, or bytes with names), one row each in order. */
    public static List<Row> predictSources(Classifier classifier, List<? extends ImageSource> sources) {
        List<Row> rows = new ArrayList<>();
        for (ImageResult<? extends ImageSource, float[]> r : classifier.classify(sources)) {
            String name = r.source().name();
            rows.add(
                    r.ok()
                            ? new Row(name, classifier.classes().get(argmax(r.value())), r.value(), null)
                            : new Row(name, null, null, r.reason()));
        }
        return rows;
    }

    private static int argmax(float[] p) {
        return ClassificationMetrics.argmax(p);
    }

    /** The CSV text: a header, then one line per row. */
    public static String csv(List<String> classes, List<Row> rows) {
        StringBuilder sb = new StringBuilder("path,predicted");
        for (String c : classes) {
            sb.append(",p_").append(field(c));
        }
        sb.append(",error\n");
        for (Row r : rows) {
            sb.append(field(r.path())).append(',').append(r.predicted() == null ? "" : field(r.predicted()));
            for (int c = 0; c < classes.size(); c++) {
                sb.append(',');
                if (r.probabilities() != null) {
                    sb.append(String.format(Locale.ROOT, "%.6f", r.probabilities()[c]));
                }
            }
            sb.append(',').append(r.error() == null ? "" : field(r.error())).append('\n');
        }
        return sb.toString();
    }

    /**
     * A CSV field as RFC 4180 writes it: as it is, or, when it holds a comma, a quote, a line break
     * or leading/trailing spaces, in double quotes with each quote doubled. Nothing is replaced, so
     * a CSV reader (Python's csv module, pandas) gives back the exact file name, line breaks
     * included; such a row spans several lines (docs/robustness.md).
     */
    static String field(String s) {
        if (s.indexOf(',') < 0
                && s.indexOf('"') < 0
                && s.indexOf('\n') < 0
                && s.indexOf('\r') < 0
                && s.strip().length() == s.length()) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }
}
