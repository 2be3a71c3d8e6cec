package dev.cxr.model.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cxr.engine.CxrException;
import dev.cxr.engine.backend.Backend;
import dev.cxr.engine.tensor.Tensor;
import dev.cxr.model.classifier.Classifier;
import dev.cxr.model.classifier.Head;
import dev.cxr.model.classifier.ModelFile;
import dev.cxr.model.eval.BinaryEvaluation;
import dev.cxr.model.eval.Jackson;
import dev.cxr.model.eval.Predictor;
import dev.cxr.model.eval.Report;
import dev.cxr.model.eval.Scored;
import dev.cxr.model.image.Preprocessing;
import dev.cxr.model.testing.Backends4Tests;
import dev.cxr.model.testing.Images;
import dev.cxr.model.testing.NarrowVgg;
import dev.cxr.model.testing.Repo;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole training run on six small images of the bundled dataset with the narrow VGG16 fixture
 * (channels 8..32), so it runs on a fresh clone. Cost with the reference backend: about 0.3 s per
 * image through the base, so each run here is a few seconds; the whole class about 15 s.
 */
class TrainingRunTest {
    @TempDir
    Path tmp;

    private Path sixImages() {
        return Repo.subset(tmp.resolve("data"), Repo.SMALL_SIX);
    }

    private static TrainConfig tiny(boolean augment) {
        return new TrainConfig(2, 2, 1e-3f, 42, Preprocessing.TUTORIAL, augment, 0.5, true, 0.5f);
    }

    @Test
    void writesEveryOutputAndTheModelPredictsWhatTrainingMeasured() throws Exception {
        Path data = sixImages();
        Path out = tmp.resolve("run");
        List<String> log = new ArrayList<>();
        try (Backend backend = Backends4Tests.cpu()) {
            TrainingRun.Result r = TrainingRun.run(
                    backend, data, NarrowVgg.weights(), tiny(false), out, log::add, TrainingListener.NONE);
            assertEquals(3, r.train().size());
            assertEquals(3, r.test().size());
            assertEquals(2, r.history().size());

            // model.h5 reads back and, on the same features, gives the same probabilities bit for bit
            ModelFile model = ModelFile.read(out.resolve("model.h5"));
            assertEquals(r.model(), model);
            assertEquals(List.of("covid", "normal"), model.classes());
            assertEquals(Preprocessing.TUTORIAL, model.preprocessing());
            assertEquals(32, model.channels());
            try (Head head = Head.faithful(backend, 32, 2, 0.5f, new SplittableRandom(0));
                    Tensor x = backend.upload(
                            TrainingRunSharedWeightsTest.featureShape(3, 32, r.testFeatures()), r.testFeatures())) {
                model.loadInto(head);
                float[] p = head.probabilities(x, backend);
                for (int i = 0; i < 3; i++) {
                    assertArrayEquals(r.testProbabilities()[i], new float[] {p[2 * i], p[2 * i + 1]});
                }
            }
            // and from the image files, as predict runs it
            try (Classifier c = Classifier.open(backend, model, NarrowVgg.weights())) {
                List<Predictor.Row> rows = Predictor.predict(
                        c, r.test().stream().map(s -> s.file()).toList());
                for (int i = 0; i < 3; i++) {
                    assertArrayEquals(r.testProbabilities()[i], rows.get(i).probabilities(), "test image " + i);
                }
            }

            List<String> history = Files.readAllLines(out.resolve("history.csv"));
            assertEquals(HistoryCsv.HEADER, history.get(0));
            assertEquals(3, history.size(), "header and 2 epochs");
            assertTrue(history.get(2).startsWith("2,"));

            BufferedImage plot = ImageIO.read(out.resolve("plot.png").toFile());
            assertEquals(TrainingPlot.WIDTH, plot.getWidth());
            assertEquals(TrainingPlot.HEIGHT, plot.getHeight());
            byte[] png = Files.readAllBytes(out.resolve("plot.png"));
            assertEquals((byte) 0x89, png[0]);
            assertEquals("PNG", new String(png, 1, 3, StandardCharsets.US_ASCII));

            JsonNode json = Jackson.mapper().readTree(Files.readString(out.resolve("report.json")));
            assertEquals(Report.DISCLAIMER, json.get("disclaimer").asText());
            assertEquals(List.of("covid", "normal"), texts(json.get("classes")));
            JsonNode settings = json.get("settings");
            assertEquals(model.baseMd5(), settings.get("weights md5").asText());
            assertEquals("tutorial", settings.get("preprocessing").asText());
            assertEquals(42, settings.get("seed").asLong());
            assertEquals(backend.name(), settings.get("device").asText());
            assertEquals(
                    "AveragePooling2D(4x4) > Flatten > Dense(64, relu) > Dropout(0.5) > Dense(2, softmax)",
                    settings.get("head").asText(),
                    "the head as it describes itself");
            JsonNode metrics = json.get("metrics");
            assertTrue(metrics.has("roc_auc"));
            assertEquals(3, metrics.get("accuracy").get("n").asInt());
            assertEquals(2, metrics.get("accuracy").get("ci95_wilson").size());
            assertEquals(3, json.get("predictions").size());
            JsonNode first = json.get("predictions").get(0);
            assertEquals(r.test().get(0).relativePath(), first.get("path").asText());
            assertEquals(
                    r.testProbabilities()[0][0],
                    first.get("probabilities").get("covid").asDouble(),
                    0,
                    "float probabilities written as their double, exactly");
            assertEquals(2, json.get("history").size());
            assertEquals(
                    List.of(
                            "title",
                            "disclaimer",
                            "settings",
                            "classes",
                            "metrics",
                            "evaluation",
                            "notes",
                            "predictions",
                            "groups",
                            "history",
                            "train_paths",
                            "skipped"),
                    fieldNames(json),
                    "report.json's fields, in their order");
            // the binary evaluation is the one of the test predictions, recomputed here from the probabilities
            BinaryEvaluation expected = BinaryEvaluation.of(
                    Scored.of(r.test().stream().mapToInt(s -> s.label()).toArray(), r.testProbabilities()), 42L);
            JsonNode evaluation = json.get("evaluation");
            assertEquals(3, evaluation.get("images").asInt());
            assertEquals(
                    expected.calibration().brier(),
                    evaluation.get("calibration").get("brier").asDouble(),
                    1e-12);
            assertEquals(10, evaluation.get("calibration").get("bins").size(), "ECE over 10 bins");
            assertEquals(
                    expected.youden().threshold(),
                    evaluation.get("youden").get("threshold").asDouble(),
                    1e-12);
            assertTrue(evaluation.get("roc_auc").has("lower")
                    && evaluation.get("roc_auc").has("method"));
            assertEquals(
                    expected.rocAuc().auc(),
                    evaluation.get("roc_auc").get("auc").asDouble(Double.NaN),
                    1e-12);
            assertFalse(json.get("groups").get("used").asBoolean(), "no groups file given");

            String text = Files.readString(out.resolve("report.txt"));
            assertTrue(text.contains(Report.DISCLAIMER));
            assertTrue(text.contains("sensitivity") && text.contains("specificity") && text.contains("Wilson"));
            try (var files = Files.list(out)) {
                assertEquals(
                        List.of(
                                "calibration.png",
                                "history.csv",
                                "model.h5",
                                "plot.png",
                                "report.html",
                                "report.json",
                                "report.txt",
                                "roc.png"),
                        files.map(p -> p.getFileName().toString()).sorted().toList(),
                        "no temporary files left");
            }
        }
    }

    static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    static List<String> fieldNames(JsonNode object) {
        List<String> out = new ArrayList<>();
        object.fieldNames().forEachRemaining(out::add);
        return out;
    }

    @Test
    void theSameSeedGivesTheSameNumbersBitForBit() throws Exception {
        Path data = sixImages();
        try (Backend backend = Backends4Tests.cpu()) {
            // augmentation on: rotations, shuffling and dropout all draw from the seed
            TrainingRun.Result a = TrainingRun.run(
                    backend, data, NarrowVgg.weights(), tiny(true), tmp.resolve("a"), s -> {}, TrainingListener.NONE);
            TrainingRun.Result b = TrainingRun.run(
                    backend, data, NarrowVgg.weights(), tiny(true), tmp.resolve("b"), s -> {}, TrainingListener.NONE);
            assertEquals(
                    Files.readString(tmp.resolve("a/history.csv")), Files.readString(tmp.resolve("b/history.csv")));
            assertEquals(a.model(), b.model(), "identical weights");
            TrainingRun.Result c = TrainingRun.run(
                    backend,
                    data,
                    NarrowVgg.weights(),
                    tiny(true).withSeed(7),
                    tmp.resolve("c"),
                    s -> {},
                    TrainingListener.NONE);
            assertNotEquals(
                    Files.readString(tmp.resolve("a/history.csv")),
                    Files.readString(tmp.resolve("c/history.csv")),
                    "another seed trains differently");
        }
    }

    @Test
    void unusableImagesAreSkippedWithAWarningEachAndACount() throws Exception {
        Path data = sixImages();
        Images.bytes(data.resolve("covid/empty.jpg"), new byte[0]);
        Images.bytes(data.resolve("normal/notes.jpeg"), "just text".getBytes(StandardCharsets.US_ASCII));
        Images.png(data.resolve("normal/icon.png"), 1, 1, 1);
        List<String> log = new ArrayList<>();
        try (Backend backend = Backends4Tests.cpu()) {
            TrainingRun.Result r = TrainingRun.run(
                    backend,
                    data,
                    NarrowVgg.weights(),
                    tiny(false).withEpochs(1),
                    tmp.resolve("run"),
                    log::add,
                    TrainingListener.NONE);
            assertEquals(3, r.skipped().size());
            assertEquals(6, r.train().size() + r.test().size());
        }
        List<String> warnings =
                log.stream().filter(l -> l.startsWith("warning:")).toList();
        assertEquals(4, warnings.size(), String.join("\n", log));
        assertTrue(warnings.get(0).contains("empty.jpg"));
        assertTrue(warnings.get(1).contains("icon.png") && warnings.get(1).contains("too small to be an X-ray"));
        assertTrue(warnings.get(2).contains("notes.jpeg"));
        assertEquals("warning: skipped 3 of 9 images that could not be used", warnings.get(3));
    }

    @Test
    void tooFewUsableImagesIsAnErrorAfterSkipping() {
        Path data = tmp.resolve("data");
        Repo.subset(data, List.of(Repo.SMALL_SIX.get(0), Repo.SMALL_SIX.get(1), Repo.SMALL_SIX.get(3)));
        Images.bytes(data.resolve("normal/broken.jpg"), new byte[] {(byte) 0xff, (byte) 0xd8, 1, 2});
        try (Backend backend = Backends4Tests.cpu()) {
            CxrException e = assertThrows(
                    CxrException.class,
                    () -> TrainingRun.run(
                            backend,
                            data,
                            NarrowVgg.weights(),
                            tiny(false),
                            tmp.resolve("run"),
                            s -> {},
                            TrainingListener.NONE));
            assertTrue(
                    e.getMessage()
                            .startsWith("class 'normal' in " + data + " has 1 image left after skipping 1"
                                    + " unusable image(s): a stratified split needs at least 2 per class"),
                    e.getMessage());
        }
    }

    @Test
    void anOutputFolderThatCannotBeWrittenFailsBeforeTraining() throws Exception {
        Path blocker = Files.writeString(tmp.resolve("a-file"), "x");
        try (Backend backend = Backends4Tests.cpu()) {
            CxrException e = assertThrows(
                    CxrException.class,
                    () -> TrainingRun.run(
                            backend,
                            tmp.resolve("nowhere"),
                            NarrowVgg.weights(),
                            tiny(false),
                            blocker.resolve("run"),
                            s -> {},
                            TrainingListener.NONE));
            assertTrue(
                    e.getMessage().startsWith("cannot create output folder " + blocker.resolve("run")), e.getMessage());
        }
    }

    @Test
    void badSettingsAreRefusedWithTheOptionNamed() {
        assertEquals(
                "--epochs must be at least 1, got 0",
                assertThrows(CxrException.class, () -> TrainConfig.defaults().withEpochs(0))
                        .getMessage());
        assertEquals(
                "--batch-size must be at least 1, got 0",
                assertThrows(
                                CxrException.class,
                                () -> new TrainConfig(25, 0, 1e-3f, 42, Preprocessing.CAFFE, true, 0.2, true, 0.5f))
                        .getMessage());
        assertEquals(
                "--lr must be a positive number (the tutorial used 1e-3), got -0.001",
                assertThrows(
                                CxrException.class,
                                () -> new TrainConfig(25, 8, -1e-3f, 42, Preprocessing.CAFFE, true, 0.2, true, 0.5f))
                        .getMessage());
        assertEquals(
                "--test-split must be a fraction between 0 and 1 (exclusive), got 1.5",
                assertThrows(CxrException.class, () -> TrainConfig.defaults().withTestSplit(1.5))
                        .getMessage());
        assertThrows(CxrException.class, () -> TrainConfig.defaults().withSeed(-1));
    }

    /**
     * Batch sizes that leave a last partial batch (4 and 5 on six training images), with augmentation
     * (the base runs on every rotated batch): the fast backend at 1 and 3 threads trains as the
     * reference backend does, and the two thread counts give the same bits.
     */
    @Test
    void partialLastBatchesTrainAsOnTheReferenceBackend() {
        List<String> nine = new ArrayList<>(Repo.SMALL_SIX);
        nine.addAll(List.of("covid/lancet-case2a.jpg", "normal/person1_bacteria_2.jpeg", "normal/IM-0240-0001.jpeg"));
        Path data = Repo.subset(tmp.resolve("nine"), nine);
        for (int batch : new int[] {4, 5}) {
            TrainConfig config =
                    new TrainConfig(2, batch, 1e-3f, 42, Preprocessing.TUTORIAL, true, 1 / 3.0, true, 0.5f);
            List<dev.cxr.model.train.EpochMetrics> want;
            try (Backend ref = new dev.cxr.engine.backend.cpu.ReferenceBackend()) {
                want = TrainingRun.run(
                                ref,
                                data,
                                NarrowVgg.weights(),
                                config,
                                tmp.resolve("ref-" + batch),
                                s -> {},
                                TrainingListener.NONE)
                        .history();
            }
            List<dev.cxr.model.train.EpochMetrics> first = null;
            for (int threads : new int[] {1, 3}) {
                List<dev.cxr.model.train.EpochMetrics> got;
                try (Backend fast = new dev.cxr.engine.backend.cpu.fast.FastCpuBackend(threads)) {
                    got = TrainingRun.run(
                                    fast,
                                    data,
                                    NarrowVgg.weights(),
                                    config,
                                    tmp.resolve("fast-" + batch + "-" + threads),
                                    s -> {},
                                    TrainingListener.NONE)
                            .history();
                }
                assertEquals(want.size(), got.size());
                for (int e = 0; e < want.size(); e++) {
                    String at = "batch " + batch + ", " + threads + " threads, epoch " + (e + 1);
                    // features within a few 1e-6 of the reference's: losses of order 1 move by about as much
                    assertEquals(want.get(e).loss(), got.get(e).loss(), 1e-5, at + " loss");
                    assertEquals(want.get(e).valLoss(), got.get(e).valLoss(), 1e-5, at + " val_loss");
                    assertEquals(want.get(e).accuracy(), got.get(e).accuracy(), 0, at + " accuracy");
                }
                if (first == null) {
                    first = got;
                } else {
                    assertEquals(first, got, "batch " + batch + ": 1 and 3 threads give the same history, bit for bit");
                }
            }
        }
    }
}
