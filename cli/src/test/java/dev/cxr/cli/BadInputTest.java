package dev.cxr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cxr.engine.CxrException;
import dev.cxr.model.weights.WeightsStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every bad input of the train, evaluate and predict commands: one line, a non-zero exit, no stack trace. */
class BadInputTest {
    @TempDir
    Path tmp;

    private CliRun train(String... extra) throws Exception {
        Path data = Files.exists(tmp.resolve("data")) ? tmp.resolve("data") : CliRun.sixImages(tmp.resolve("data"));
        String[] base = {
            "train",
            "--dataset",
            data.toString(),
            "--weights",
            CliRun.narrowWeights().toString(),
            "--output",
            tmp.resolve("run").toString()
        };
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return CliRun.of(args);
    }

    private static void assertOneLine(CliRun r, int exit, String line) {
        assertEquals(exit, r.exit(), r.err());
        assertEquals(line, r.lastErrorLine());
        assertFalse(r.err().contains("\tat "), "no stack trace without --verbose: " + r.err());
    }

    @Test
    void badNumbers() throws Exception {
        assertOneLine(train("--epochs", "0"), 1, "cxr: --epochs must be at least 1, got 0");
        assertOneLine(train("--batch-size", "0"), 1, "cxr: --batch-size must be at least 1, got 0");
        assertOneLine(
                train("--lr", "-0.001"), 1, "cxr: --lr must be a positive number (the tutorial used 1e-3), got -0.001");
        assertOneLine(
                train("--test-split", "1.5"),
                1,
                "cxr: --test-split must be a fraction between 0 and 1 (exclusive), got 1.5");
        assertOneLine(train("--seed", "-3"), 1, "cxr: --seed must be between 0 and 4294967295 (numpy's range), got -3");
        CliRun notANumber = train("--epochs", "many");
        assertEquals(Main.EXIT_USAGE, notANumber.exit());
        assertTrue(notANumber.err().contains("'many' is not an int"), notANumber.err());
        CliRun badMode = train("--preprocess", "imagenet");
        assertEquals(Main.EXIT_USAGE, badMode.exit());
        assertTrue(badMode.err().contains("unknown preprocessing 'imagenet': use caffe or tutorial"), badMode.err());
        assertFalse(Files.exists(tmp.resolve("run")), "nothing written for a refused command");
    }

    @Test
    void badDatasets() throws Exception {
        Path missing = tmp.resolve("nope");
        assertOneLine(
                CliRun.of("train", "--dataset", missing.toString(), "--weights", "w.h5"),
                1,
                "cxr: dataset folder " + missing
                        + " not found (expected one sub-folder per class, e.g. covid/ and normal/)");

        Path flat = Files.createDirectories(tmp.resolve("flat"));
        Files.writeString(flat.resolve("a.jpg"), "x");
        assertOneLine(
                CliRun.of("train", "--dataset", flat.toString()),
                1,
                "cxr: dataset folder " + flat
                        + " has no class sub-folders: put each class's images in a sub-folder named after it (e.g. covid/ and normal/)");

        Path one = Files.createDirectories(tmp.resolve("one/covid"));
        Files.writeString(one.resolve("a.jpg"), "x");
        Files.writeString(one.resolve("b.jpg"), "x");
        assertOneLine(
                CliRun.of("train", "--dataset", one.getParent().toString()),
                1,
                "cxr: dataset folder " + one.getParent()
                        + " has only one class (covid): a classifier needs at least 2 class sub-folders");

        Path few = Files.createDirectories(tmp.resolve("few/normal"));
        Files.createDirectories(tmp.resolve("few/covid"));
        Files.writeString(tmp.resolve("few/covid/a.jpg"), "x");
        Files.writeString(tmp.resolve("few/covid/b.jpg"), "x");
        Files.writeString(few.resolve("a.jpg"), "x");
        CliRun r = CliRun.of("train", "--dataset", few.getParent().toString());
        assertEquals(1, r.exit());
        assertTrue(
                r.lastErrorLine()
                        .startsWith("cxr: class 'normal' in " + few.getParent()
                                + " has 1 image: a stratified split needs at least 2 per class"),
                r.err());
    }

    @Test
    void unreadableImagesInTrainingAreSkippedThenTooFewIsAnError() throws Exception {
        Path data = CliRun.sixImages(tmp.resolve("data"));
        for (String f : new String[] {"normal/person1102_bacteria_3043.jpeg", "normal/person259_bacteria_1220.jpeg"}) {
            Files.write(data.resolve(f), new byte[0]); // zero bytes
        }
        CliRun r = train("--no-augment", "--epochs", "1");
        assertEquals(1, r.exit(), r.err());
        assertTrue(
                r.err().contains("cxr: warning: skipping " + data.resolve("normal/person1102_bacteria_3043.jpeg")),
                r.err());
        assertTrue(r.err().contains("cxr: warning: skipped 2 of 6 images that could not be used"), r.err());
        assertTrue(
                r.lastErrorLine()
                        .startsWith("cxr: class 'normal' in " + data
                                + " has 1 image left after skipping 2 unusable image(s)"),
                r.err());
    }

    @Test
    void aModelFileThatIsNotOurs() throws Exception {
        Path weights = CliRun.narrowWeights();
        assertOneLine(
                CliRun.of("predict", "--model", weights.toString(), "x.png"),
                1,
                "cxr: " + weights
                        + " is not a cxr model file (no cxr_format attribute): give the model.h5 that 'cxr train' wrote");
        Path text = Files.writeString(tmp.resolve("model.h5"), "not hdf5");
        CliRun r = CliRun.of("evaluate", "--model", text.toString(), "--dataset", tmp.toString());
        assertEquals(1, r.exit());
        assertTrue(
                r.lastErrorLine()
                        .startsWith("cxr: " + text + ": not an HDF5 file (no HDF5 signature); expected a cxr"
                                + " model file"),
                r.err());
        assertOneLine(
                CliRun.of("predict", "--model", tmp.resolve("none.h5").toString(), "x.png"),
                1,
                "cxr: model file " + tmp.resolve("none.h5") + " not found");
    }

    @Test
    void anOutputFolderThatCannotBeWritten() throws Exception {
        CliRun.sixImages(tmp.resolve("data"));
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        CliRun r = CliRun.of(
                "train",
                "--dataset",
                tmp.resolve("data").toString(),
                "--weights",
                CliRun.narrowWeights().toString(),
                "--output",
                file.resolve("run").toString());
        assertEquals(1, r.exit());
        assertTrue(r.lastErrorLine().startsWith("cxr: cannot create output folder " + file.resolve("run")), r.err());
        r = CliRun.of(
                "train",
                "--dataset",
                tmp.resolve("data").toString(),
                "--weights",
                CliRun.narrowWeights().toString(),
                "--output",
                file.toString());
        assertEquals(1, r.exit());
        assertTrue(r.lastErrorLine().startsWith("cxr: cannot create output folder " + file), r.err());
    }

    @Test
    void deviceGivenAfterTheSubcommandIsHonoured() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeFalse(
                dev.cxr.engine.backend.cuda.CudaProbe.status().usable(),
                "a usable GPU is present: --device gpu would train, not fail");
        CliRun r = train("--device", "gpu");
        assertEquals(1, r.exit(), r.err());
        assertTrue(r.lastErrorLine().startsWith("cxr: no usable GPU: "), r.err());
        assertTrue(r.lastErrorLine().endsWith("use --device cpu or auto"), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace without --verbose: " + r.err());
    }

    @Test
    void aMissingGpuIsSaidBeforeAnyWeightsAreFetched() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeFalse(
                dev.cxr.engine.backend.cuda.CudaProbe.status().usable(),
                "a usable GPU is present: --device gpu would go on to the weights");
        Path data = CliRun.sixImages(tmp.resolve("data"));
        String dir = System.getProperty(WeightsStore.DIR_PROPERTY);
        String url = System.getProperty(WeightsStore.URL_PROPERTY);
        // no weights in the cache, and a download that could only fail: the device must be asked first
        System.setProperty(WeightsStore.DIR_PROPERTY, tmp.resolve("empty-cache").toString());
        System.setProperty(WeightsStore.URL_PROPERTY, "http://127.0.0.1:9/vgg16.h5");
        try {
            for (String command : new String[] {"train", "features"}) {
                CliRun r = command.equals("train")
                        ? CliRun.of(
                                "train",
                                "--device",
                                "gpu",
                                "--dataset",
                                data.toString(),
                                "--output",
                                tmp.resolve("run").toString())
                        : CliRun.of(
                                "features",
                                "--device",
                                "gpu",
                                "--out",
                                tmp.resolve("f.h5").toString(),
                                data.resolve("covid").toFile().listFiles()[0].toString());
                assertEquals(1, r.exit(), command + ": " + r.err());
                assertTrue(r.lastErrorLine().startsWith("cxr: no usable GPU: "), command + ": " + r.err());
                assertFalse(
                        r.err().contains("download"), command + ": no download before the device check: " + r.err());
            }
            assertFalse(Files.exists(tmp.resolve("run")), "a failed run leaves no empty output folder");
        } finally {
            restore(WeightsStore.DIR_PROPERTY, dir);
            restore(WeightsStore.URL_PROPERTY, url);
        }
    }

    private static void restore(String property, String value) {
        if (value == null) {
            System.clearProperty(property);
        } else {
            System.setProperty(property, value);
        }
    }

    @Test
    void theDefaultDatasetMustExist() {
        RepoPaths noLauncher = new RepoPaths(null, tmp);
        CxrException e = assertThrows(CxrException.class, () -> noLauncher.dataset(null));
        assertEquals(
                "no --dataset given and the bundled dataset is not at " + tmp.resolve("data/covid-xray-50")
                        + " (run cxr from the repository root or through ./cxr, or pass --dataset DIR)",
                e.getMessage());
        RepoPaths launcher = new RepoPaths(tmp.toString(), Path.of("/elsewhere"));
        assertTrue(assertThrows(CxrException.class, () -> launcher.dataset(null))
                .getMessage()
                .endsWith(": pass --dataset DIR"));
        Path repo = CliRun.repoFile("data/covid-xray-50").getParent().getParent();
        assertEquals(repo.resolve("data/covid-xray-50"), new RepoPaths(repo.toString(), tmp).dataset(null));
    }

    @Test
    void theDefaultOutputIsANewTimestampedRunsFolder() throws Exception {
        RepoPaths paths = new RepoPaths(tmp.toString(), Path.of("/elsewhere"));
        LocalDateTime t = LocalDateTime.of(2024, 3, 16, 9, 5, 7);
        assertEquals(tmp.resolve("runs/20240316-090507"), paths.output(null, t));
        Files.createDirectories(tmp.resolve("runs/20240316-090507"));
        assertEquals(tmp.resolve("runs/20240316-090507-2"), paths.output(null, t));
    }

    @Test
    void badFoldsAndGroups() throws Exception {
        assertOneLine(
                train("--folds", "3", "--test-split", "0.3"),
                1,
                "cxr: give --test-split or --folds, not both: with --folds every image is tested once");
        assertOneLine(train("--folds", "1"), 1, "cxr: --folds must be at least 2, got 1");
        Path missing = tmp.resolve("groups.csv");
        assertOneLine(train("--groups", missing.toString()), 1, "cxr: groups file " + missing + " not found");
        Path noHeader = Files.writeString(tmp.resolve("bad-groups.csv"), "a.jpeg;p1\n");
        CliRun r = train("--groups", noHeader.toString(), "--folds", "2");
        assertEquals(1, r.exit(), r.err());
        assertTrue(
                r.lastErrorLine().startsWith("cxr: groups file " + noHeader + ", line 1: expected a header"), r.err());
        assertFalse(Files.exists(tmp.resolve("run")), "nothing written for a refused command");
    }
}
