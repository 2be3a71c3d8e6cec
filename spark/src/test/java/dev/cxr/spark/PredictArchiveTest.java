package dev.cxr.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.cxr.engine.backend.Backend;
import dev.cxr.engine.backend.cpu.ReferenceBackend;
import dev.cxr.engine.backend.cpu.fast.FastCpuBackend;
import dev.cxr.engine.backend.cuda.CudaProbe;
import dev.cxr.model.classifier.Classifier;
import dev.cxr.model.classifier.Head;
import dev.cxr.model.classifier.ModelFile;
import dev.cxr.model.eval.Predictor;
import dev.cxr.model.features.FrozenBase;
import dev.cxr.model.image.Preprocessing;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job in {@code local[2]} on the 50 bundled images and a few bad files, against
 * {@code cxr predict}'s CSV ({@link Predictor}, what the command prints) of the same folder: the same
 * rows, classes, probabilities and errors. One Spark session and one {@code cxr predict} run for the
 * class; the narrow VGG16 fixture keeps each forward pass cheap, and only the Parquet run goes
 * through the 50 bundled images (their decoding is most of the time): the CSV run reads the bad
 * files, the DICOM file and two images.
 */
class PredictArchiveTest {
    /** CSV probabilities have six decimals: half a step of rounding, and the rest for batching differences. */
    private static final double PROBABILITY_TOLERANCE = 1e-6;

    @TempDir
    static Path tmp;

    static SparkSession spark;
    /** The archive: {@code images/} (the bundled class folders) and {@code mixed/} (see {@link #archive}). */
    static Path archive;

    static Path model;
    static Path weights;
    /** {@code cxr predict}'s CSV of the whole archive, by path relative to it. */
    static Map<String, Row> expected;

    @BeforeAll
    static void start() throws IOException {
        weights = repoFile("model/src/test/resources/reference/small/vgg16-narrow-seed11-notop.h5");
        model = randomModel(tmp.resolve("model.h5"));
        archive = archive(tmp.resolve("archive"));
        spark = SparkSession.builder()
                .master("local[2]")
                .appName("cxr-spark test")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "2")
                .getOrCreate();
        expected = cxrPredict();
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
        ExecutorModels.closeIdle();
    }

    @Test
    void parquetRowsAreCxrPredictsRowsAndBadFilesAreErrorRows() throws IOException {
        // by name only, the DICOM file without an extension is not looked at
        Map<String, Row> want = new TreeMap<>(expected);
        assertNotNull(want.remove("mixed/dicom/IM0001"), "cxr predict finds DICOM by content");
        Path out = tmp.resolve("out-parquet");
        int loadedBefore = ExecutorModels.opened();
        Run r = job(
                "--input",
                archive.toString(),
                "--output",
                out.toString(),
                "--model",
                model.toString(),
                "--weights",
                weights.toString(),
                "--device",
                "cpu",
                "--batch-size",
                "3",
                // several tasks per task slot, so that executors reuse their classifiers
                "--files-per-task",
                "10");
        assertEquals(0, r.exit, r.toString());
        assertTrue(Files.exists(out.resolve("_SUCCESS")), "the committed output has _SUCCESS");
        List<Row> rows = spark.read().parquet(out.toString()).collectAsList();
        assertMatches(want, rows, 52);
        assertTrue(r.out.contains("wrote " + want.size() + " rows"), r.out);
        assertTrue(r.out.contains("(5 images could not be used"), r.out);
        assertTrue(
                r.err.matches("(?s).*tasks spent [0-9.]+ s reading and predicting: [0-9.]+ files per task-second.*")
                        && !r.err.contains("spent 0.0 s"),
                r.err);
        long tasks;
        try (Stream<Path> parts = Files.list(out)) {
            tasks = parts.filter(p -> p.getFileName().toString().startsWith("part-"))
                    .count();
        }
        assertTrue(tasks > 2, "several tasks wrote rows: " + tasks);
        // two task slots: at most two classifiers loaded, however many tasks ran
        int loaded = ExecutorModels.opened() - loadedBefore;
        assertTrue(loaded >= 1 && loaded <= 2, "loaded " + loaded + " classifiers for " + tasks + " tasks");
    }

    @Test
    void allFilesFindsDicomByContentAndWritesCsv() throws IOException {
        Map<String, Row> want = new TreeMap<>(expected);
        want.keySet().removeIf(path -> !path.startsWith("mixed/"));
        Path out = tmp.resolve("out-csv");
        Run r = job(
                "--input",
                "file:" + archive.resolve("mixed"),
                "--output",
                out.toString(),
                "--model",
                model.toString(),
                "--weights",
                weights.toString(),
                "--device",
                "cpu",
                "--all-files",
                "--format",
                "csv");
        assertEquals(0, r.exit, r.toString());
        OutputRows columns = new OutputRows(List.of("covid", "normal"));
        List<Row> rows = spark.read()
                .option("header", "true")
                .schema(columns.schema())
                .csv(out.toString())
                .collectAsList();
        // the DICOM file and the two images with unusual names
        assertMatches(want, rows, 3);
    }

    @Test
    void wrongOptionsAndInputsEndInOneLine() throws IOException {
        String[] common = {"--model", model.toString(), "--weights", weights.toString()};
        Path out = tmp.resolve("never");
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        Files.writeString(empty.resolve("readme.txt"), "no images here");
        Path existing = Files.createDirectories(tmp.resolve("existing"));
        Path otherWeights = repoFile("model/src/test/resources/keras/vgg16-w4-keras2-notop.h5");

        assertError(
                2,
                "Missing required option: '--model",
                job("--input", archive.toString(), "--output", out.toString(), "--weights", weights.toString()));
        assertError(
                1,
                "unknown --format 'xml': use parquet or csv",
                job(with(common, "--input", archive.toString(), "--output", out.toString(), "--format", "xml")));
        assertError(
                1,
                "unknown device 'tpu'",
                job(with(common, "--input", archive.toString(), "--output", out.toString(), "--device", "tpu")));
        assertError(
                1,
                "--batch-size must be at least 1, got 0",
                job(with(common, "--input", archive.toString(), "--output", out.toString(), "--batch-size", "0")));
        assertError(
                1,
                "--files-per-task must be at least 1, got 0",
                job(with(common, "--input", archive.toString(), "--output", out.toString(), "--files-per-task", "0")));
        assertError(
                1,
                "input " + tmp.resolve("nowhere") + " not found",
                job(with(common, "--input", tmp.resolve("nowhere").toString(), "--output", out.toString())));
        assertError(
                1,
                "output " + existing + " already exists",
                job(with(common, "--input", archive.toString(), "--output", existing.toString())));
        assertError(
                1,
                "no image files under " + empty,
                job(with(common, "--input", empty.toString(), "--output", out.toString())));
        assertError(
                1,
                weights + " is not a cxr model file",
                job(
                        "--model",
                        weights.toString(),
                        "--weights",
                        weights.toString(),
                        "--input",
                        archive.toString(),
                        "--output",
                        out.toString()));
        assertError(
                1,
                "model file " + tmp.resolve("none.h5") + " not found",
                job(
                        "--model",
                        tmp.resolve("none.h5").toString(),
                        "--weights",
                        weights.toString(),
                        "--input",
                        archive.toString(),
                        "--output",
                        out.toString()));
        assertError(
                1,
                "the model was trained on VGG16 weights with md5",
                job(
                        "--model",
                        model.toString(),
                        "--weights",
                        otherWeights.toString(),
                        "--input",
                        archive.toString(),
                        "--output",
                        out.toString()));
        assertError(
                1,
                "weights file " + tmp.resolve("none.h5") + " not found",
                job(
                        "--model",
                        model.toString(),
                        "--weights",
                        tmp.resolve("none.h5").toString(),
                        "--input",
                        archive.toString(),
                        "--output",
                        out.toString()));
        assertError(
                1,
                "--weights '' is not a path or URI",
                job(
                        "--model",
                        model.toString(),
                        "--weights",
                        "",
                        "--input",
                        archive.toString(),
                        "--output",
                        out.toString()));
        assertTrue(Files.notExists(out), "no failed run wrote anything");
    }

    /**
     * An error found on an executor (here: no GPU for {@code --device gpu}, which only the executors
     * open) fails the job with the same one line and the option to change, not Spark's stack trace.
     */
    @Test
    void anExecutorsErrorIsOneLineWithTheOptionToChange() {
        assumeFalse(CudaProbe.status().usable(), "a usable GPU here: --device gpu would work");
        Path out = tmp.resolve("out-gpu");
        Run r = job(
                "--input",
                archive.resolve("mixed/extra").toString(),
                "--output",
                out.toString(),
                "--model",
                model.toString(),
                "--weights",
                weights.toString(),
                "--device",
                "gpu");
        assertError(1, "no usable GPU", r);
        assertTrue(r.errorLine().endsWith("; use --device cpu or auto"), r.errorLine());
        assertTrue(Files.notExists(out.resolve("_SUCCESS")), "a failed job is not complete");
    }

    /**
     * Every expected row once, with the same class, probabilities within the tolerance, or the same
     * error; at least {@code minPredicted} of them predicted.
     */
    private static void assertMatches(Map<String, Row> want, List<Row> rows, int minPredicted) {
        String md5 = ArchivePrediction.md5(readAllBytes(model));
        Map<String, Row> byPath = new TreeMap<>();
        for (Row row : rows) {
            String path = relative(row.getString(row.fieldIndex(OutputRows.PATH)));
            assertNull(byPath.put(path, row), "one row per file: " + path);
            assertEquals(md5, row.getString(row.fieldIndex(OutputRows.MODEL_MD5)), path + ": model md5");
        }
        assertEquals(want.keySet(), byPath.keySet());
        int predicted = 0;
        for (Map.Entry<String, Row> e : want.entrySet()) {
            Row w = e.getValue();
            Row got = byPath.get(e.getKey());
            String at = e.getKey();
            String error = w.getAs(OutputRows.ERROR);
            if (error == null) {
                predicted++;
                assertEquals((String) w.getAs(OutputRows.PREDICTED), got.getAs(OutputRows.PREDICTED), at + ": class");
                for (String p : List.of("p_covid", "p_normal")) {
                    assertEquals(
                            Double.parseDouble(w.getAs(p)),
                            ((Number) got.getAs(p)).doubleValue(),
                            PROBABILITY_TOLERANCE,
                            at + ": " + p);
                }
                assertNull(got.getAs(OutputRows.ERROR), at);
            } else {
                assertEquals(error, got.getAs(OutputRows.ERROR), at + ": error");
                assertNull(got.getAs(OutputRows.PREDICTED), at);
                assertNull(got.getAs("p_covid"), at);
                assertNull(got.getAs("p_normal"), at);
            }
        }
        assertTrue(predicted >= minPredicted, "images predicted: " + predicted);
        if (minPredicted > 10) {
            long distinct = byPath.values().stream()
                    .map(r -> r.getAs("p_covid"))
                    .filter(p -> p != null)
                    .distinct()
                    .count();
            assertTrue(distinct > 10, "images get different probabilities: " + distinct + " distinct");
        }
    }

    /**
     * {@code cxr predict}'s CSV of the archive folder (path, predicted, p_covid, p_normal, error;
     * probabilities as text), read back with Spark's CSV reader, by path relative to the archive.
     */
    private static Map<String, Row> cxrPredict() throws IOException {
        List<Predictor.Row> rows;
        ModelFile m = ModelFile.read(model);
        try (Backend fast = new FastCpuBackend(1);
                Classifier c = Classifier.open(fast, m, weights)) {
            rows = Predictor.predict(c, Predictor.expand(List.of(archive)));
        }
        Path csv = Files.writeString(tmp.resolve("cxr-predict.csv"), Predictor.csv(m.classes(), rows));
        // RFC 4180 as Predictor writes it: a quote inside a quoted field is doubled
        Dataset<Row> read =
                spark.read().option("header", "true").option("escape", "\"").csv(csv.toString());
        assertEquals(List.of("path", "predicted", "p_covid", "p_normal", "error"), Arrays.asList(read.columns()));
        Map<String, Row> out = new TreeMap<>();
        for (Row r : read.collectAsList()) {
            out.put(relative(r.getAs("path")), r);
        }
        assertEquals(rows.size(), out.size(), "one CSV line per cxr predict row");
        return out;
    }

    private static String relative(String pathOrUri) {
        String p = pathOrUri.startsWith("file:")
                ? new org.apache.hadoop.fs.Path(pathOrUri).toUri().getPath()
                : pathOrUri;
        return archive.toAbsolutePath().relativize(Path.of(p)).toString();
    }

    /**
     * {@code images/}: the bundled images in their class folders; {@code mixed/}: an empty PNG, a
     * text file named .jpg, a truncated JPEG, an 8x8 PNG, a non-DICOM .dcm (each a row with its
     * error), an image named in capitals, one with a space, a DICOM file without extension, a text
     * file and a hidden file (no rows).
     */
    private static Path archive(Path root) throws IOException {
        Path data = repoFile("data/covid-xray-50");
        for (String cls : List.of("covid", "normal")) {
            Path dir = Files.createDirectories(root.resolve("images").resolve(cls));
            try (Stream<Path> s = Files.list(data.resolve(cls))) {
                for (Path f : s.toList()) {
                    Files.copy(f, dir.resolve(f.getFileName()));
                }
            }
        }
        Path bad = Files.createDirectories(root.resolve("mixed/bad"));
        Files.write(bad.resolve("empty.png"), new byte[0]);
        Files.writeString(bad.resolve("text.jpg"), "not an image, a note", StandardCharsets.UTF_8);
        byte[] jpeg = Files.readAllBytes(data.resolve("normal/person1_bacteria_2.jpeg"));
        Files.write(bad.resolve("truncated.jpeg"), Arrays.copyOf(jpeg, 2000));
        BufferedImage icon = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY);
        icon.getRaster().setSample(3, 4, 0, 200);
        ImageIO.write(icon, "png", bad.resolve("tiny.png").toFile());
        Files.copy(repoFile("model/src/test/resources/dicom/files/not_dicom.dcm"), bad.resolve("not_dicom.dcm"));
        Path extra = Files.createDirectories(root.resolve("mixed/extra/deeper"));
        Files.copy(data.resolve("covid/lancet-case2a.jpg"), extra.resolve("LANCET-COPY.JPG"));
        Files.copy(data.resolve("normal/person1_bacteria_2.jpeg"), extra.resolve("with space.jpeg"));
        Files.writeString(extra.resolve("notes.txt"), "a text file is not an image");
        Files.copy(data.resolve("covid/lancet-case2b.jpg"), extra.resolve(".hidden.jpg"));
        Path dicom = Files.createDirectories(root.resolve("mixed/dicom"));
        Files.copy(repoFile("model/src/test/resources/dicom/files/MR_small_RLE.dcm"), dicom.resolve("IM0001"));
        return root;
    }

    /** A head with seeded Glorot weights on the narrow VGG16 fixture, in tutorial mode (as the cli's tests make one). */
    private static Path randomModel(Path file) {
        try (Backend ref = new ReferenceBackend();
                FrozenBase base = FrozenBase.loadCorner(ref, weights, 4);
                Head head = Head.faithful(ref, base.channels(), 2, Head.DROPOUT, new SplittableRandom(1))) {
            head.initialize(new SplittableRandom(9));
            ModelFile.of(head, List.of("covid", "normal"), 224, Preprocessing.TUTORIAL, base, 9)
                    .write(file);
        }
        return file;
    }

    private record Run(int exit, String out, String err) {
        /** The last line of stderr that starts with "cxr-spark: ". */
        String errorLine() {
            List<String> lines =
                    err.lines().filter(l -> l.startsWith("cxr-spark: ")).toList();
            return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
        }
    }

    private static Run job(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = PredictArchive.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    private static void assertError(int exit, String text, Run r) {
        assertEquals(exit, r.exit, r.toString());
        assertTrue(r.errorLine().contains(text), "expected '" + text + "' in: " + r.err);
        assertTrue(!r.err.contains("\tat "), "no stack trace: " + r.err);
    }

    private static String[] with(String[] common, String... more) {
        List<String> all = new ArrayList<>(List.of(common));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    private static byte[] readAllBytes(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
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
}
