package dev.cxr.model.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cxr.engine.CxrException;
import dev.cxr.engine.backend.Backend;
import dev.cxr.model.eval.BinaryEvaluation;
import dev.cxr.model.eval.ClassificationMetrics;
import dev.cxr.model.eval.Jackson;
import dev.cxr.model.eval.Scored;
import dev.cxr.model.html.GalleryPictures;
import dev.cxr.model.html.HtmlReport;
import dev.cxr.model.image.Preprocessing;
import dev.cxr.model.testing.Backends4Tests;
import dev.cxr.model.testing.NarrowVgg;
import dev.cxr.model.testing.Repo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cxr train --folds} on the six small bundled images with the narrow VGG16 fixture, three
 * folds, grouped: the two auntminnie films are one patient. Checks that no group is in two folds,
 * that each image is scored once by the fold that held it out, and that the pooled report is made
 * of exactly those predictions. About 10 s with the reference backend.
 */
class CrossValidationTest {
    private static final String PATIENT_B =
            "covid/auntminnie-b-2020_01_28_23_51_6665_2020_01_28_Vietnam_coronavirus.jpeg";
    private static final String PATIENT_D =
            "covid/auntminnie-d-2020_01_28_23_51_6665_2020_01_28_Vietnam_coronavirus.jpeg";

    @TempDir
    Path tmp;

    private static TrainConfig tiny() {
        return new TrainConfig(2, 2, 1e-3f, 7, Preprocessing.TUTORIAL, false, TrainConfig.TEST_SPLIT, true, 0.5f);
    }

    /** The six images, the two auntminnie films one patient, every other image its own. */
    private Path groups() throws Exception {
        List<String> lines = new ArrayList<>(List.of("file,group"));
        for (String rel : Repo.SMALL_SIX) {
            String name = rel.substring(rel.indexOf('/') + 1);
            lines.add(name + "," + (rel.equals(PATIENT_B) || rel.equals(PATIENT_D) ? "patient-6665" : "p-" + name));
        }
        return Files.write(tmp.resolve("groups.csv"), lines);
    }

    @Test
    void eachImageIsScoredOnceByTheFoldThatHeldItOutAndThePooledReportIsThoseScores() throws Exception {
        Path data = Repo.subset(tmp.resolve("data"), Repo.SMALL_SIX);
        Path out = tmp.resolve("cv");
        List<String> log = new ArrayList<>();
        try (Backend backend = Backends4Tests.cpu()) {
            CrossValidation.Result r = CrossValidation.run(
                    backend, data, NarrowVgg.weights(), tiny(), 3, groups(), out, log::add, TrainingListener.NONE);
            assertEquals(3, r.folds().size());

            // every image tested exactly once; the patient's two films in the same fold
            Map<String, Integer> foldOf = new HashMap<>();
            Map<String, float[]> scoreOf = new HashMap<>();
            for (int f = 0; f < 3; f++) {
                TrainingRun.Result fold = r.folds().get(f);
                assertEquals(out.resolve("fold-" + (f + 1)), fold.output());
                Set<String> train = new HashSet<>();
                fold.train().forEach(s -> train.add(s.relativePath()));
                for (int i = 0; i < fold.test().size(); i++) {
                    String rel = fold.test().get(i).relativePath();
                    assertEquals(null, foldOf.put(rel, f), rel + " tested twice");
                    assertFalse(train.contains(rel), rel + " on both sides of fold " + (f + 1));
                    scoreOf.put(rel, fold.testProbabilities()[i]);
                }
                assertEquals(6, train.size() + fold.test().size());
                for (String file : List.of(
                        "model.h5",
                        "report.json",
                        "report.txt",
                        "report.html",
                        "roc.png",
                        "calibration.png",
                        "plot.png",
                        "history.csv")) {
                    assertTrue(Files.isRegularFile(fold.output().resolve(file)), fold.output() + "/" + file);
                }
            }
            assertEquals(6, foldOf.size());
            assertEquals(foldOf.get(PATIENT_B), foldOf.get(PATIENT_D), "one patient, one fold");

            // the pooled predictions are the folds' own, image by image, in the dataset's order
            assertEquals(6, r.pooled().predictions().size());
            int[] labels = new int[6];
            float[][] oof = new float[6][];
            for (int i = 0; i < 6; i++) {
                var p = r.pooled().predictions().get(i);
                assertEquals(Repo.SMALL_SIX.get(i), p.path());
                assertArrayEquals(scoreOf.get(p.path()), p.probabilities(), p.path());
                labels[i] = p.label();
                oof[i] = p.probabilities();
            }
            assertArrayEquals(new int[] {0, 0, 0, 1, 1, 1}, labels);
            // and the pooled figures are recomputed from them
            ClassificationMetrics m = ClassificationMetrics.of(List.of("covid", "normal"), labels, oof);
            assertEquals(m.accuracy(), r.pooled().metrics().accuracy());
            BinaryEvaluation e = BinaryEvaluation.of(Scored.of(labels, oof), 7L);
            assertEquals(e.rocAuc(), r.pooled().evaluation().rocAuc());
            assertEquals(e.calibration(), r.pooled().evaluation().calibration());

            JsonNode json = Jackson.mapper().readTree(Files.readString(out.resolve("report.json")));
            JsonNode cv = json.get("cross_validation");
            assertEquals(3, cv.get("folds").asInt());
            assertTrue(cv.get("grouped").asBoolean());
            assertEquals(3, cv.get("per_fold").size());
            List<Integer> folds = new ArrayList<>();
            cv.get("fold_of_each_prediction").forEach(n -> folds.add(n.asInt()));
            List<Integer> expected = new ArrayList<>();
            Repo.SMALL_SIX.forEach(rel -> expected.add(foldOf.get(rel) + 1));
            assertEquals(expected, folds, "report.json names each prediction's fold");
            assertEquals(6, json.get("evaluation").get("images").asInt());
            assertEquals(
                    e.rocAuc().auc(),
                    json.get("evaluation").get("roc_auc").get("auc").asDouble(Double.NaN),
                    1e-12);
            assertTrue(json.get("groups").get("used").asBoolean());
            assertEquals(
                    0,
                    json.get("groups").get("leakage").get("leaked_images").asInt(),
                    "no image shares a patient" + " with its fold's training images");
            assertTrue(cv.get("over_folds").has("roc_auc"), "mean +- sd over folds");

            String text = Files.readString(out.resolve("report.txt"));
            assertTrue(text.contains("mean +- sd"), text);
            assertTrue(text.contains("fold-3"), text);
            String html = Files.readString(out.resolve(HtmlReport.FILE));
            assertTrue(html.contains("fold-2"), "the folds' table");
            assertTrue(
                    html.contains("HiResCAM overlay of the predicted class"),
                    "the gallery shows class-activation overlays");
            assertFalse(html.contains(GalleryPictures.AS_READ_CAPTION), "every overlay could be made");
            try (var files = Files.list(out)) {
                assertEquals(
                        List.of(
                                "calibration.png",
                                "fold-1",
                                "fold-2",
                                "fold-3",
                                "report.html",
                                "report.json",
                                "report.txt",
                                "roc.png"),
                        files.map(p -> p.getFileName().toString()).sorted().toList(),
                        "no temporary files or folders left");
            }
        }
        assertTrue(log.stream().anyMatch(l -> l.startsWith("cross-validation: ")), String.join("\n", log));
    }

    @Test
    void moreFoldsThanGroupsOrFewerThanTwoAreRefusedBeforeAnyTraining() throws Exception {
        Path data = Repo.subset(tmp.resolve("data"), Repo.SMALL_SIX);
        Path g = groups();
        try (Backend backend = Backends4Tests.cpu()) {
            // one fold is no cross-validation; 6 folds are more than the 5 patients
            for (int k : new int[] {1, 6}) {
                Path out = tmp.resolve("cv" + k);
                CxrException ex = assertThrows(
                        CxrException.class,
                        () -> CrossValidation.run(
                                backend,
                                data,
                                tmp.resolve("no-weights.h5"),
                                tiny(),
                                k,
                                g,
                                out,
                                s -> {},
                                TrainingListener.NONE));
                assertFalse(
                        ex.getMessage().contains("no-weights"),
                        "refused before the weights are read: " + ex.getMessage());
            }
        }
    }
}
