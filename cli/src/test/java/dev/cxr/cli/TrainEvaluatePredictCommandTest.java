package dev.cxr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cxr.model.classifier.ModelFile;
import dev.cxr.model.eval.Report;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cxr train}, {@code evaluate} and {@code predict} end to end on six bundled images with the
 * narrow VGG16 fixture: about 10 s with the reference backend (a dozen 0.3 s forward passes).
 */
class TrainEvaluatePredictCommandTest {
    @TempDir
    Path tmp;

    @Test
    void trainThenEvaluateThenPredict() throws Exception {
        Path data = CliRun.sixImages(tmp.resolve("data"));
        Path out = tmp.resolve("run");
        CliRun train = CliRun.of(
                "train",
                "--dataset",
                data.toString(),
                "--weights",
                CliRun.narrowWeights().toString(),
                "--epochs",
                "2",
                "--batch-size",
                "2",
                "--no-augment",
                "--test-split",
                "0.5",
                "--preprocess",
                "tutorial",
                "--output",
                out.toString(),
                "--device",
                "cpu");
        assertEquals(0, train.exit(), train.err());
        assertTrue(train.out().contains(Report.DISCLAIMER), train.out());
        assertTrue(train.out().contains("confusion matrix"));
        assertTrue(train.err().contains("Epoch 2: "), "a line per epoch on stderr: " + train.err());
        for (String f : List.of(
                "model.h5",
                "plot.png",
                "history.csv",
                "report.txt",
                "report.json",
                "roc.png",
                "calibration.png",
                "report.html")) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
        assertTrue(Files.readString(out.resolve("report.html")).contains(Report.DISCLAIMER));
        Path model = out.resolve("model.h5");

        CliRun eval = CliRun.of(
                "evaluate",
                "--model",
                model.toString(),
                "--dataset",
                data.toString(),
                "--output",
                tmp.resolve("eval").toString());
        assertEquals(0, eval.exit(), eval.err());
        assertTrue(eval.out().startsWith("cxr evaluate: model.h5 on 6 images"), eval.out());
        assertTrue(Files.readString(tmp.resolve("eval/report.json")).contains(Report.DISCLAIMER));
        String evalHtml = Files.readString(tmp.resolve("eval/report.html"));
        assertTrue(
                evalHtml.contains(Report.DISCLAIMER) && evalHtml.contains("class=\"gallery\""),
                "evaluate's report.html, with its gallery");
        assertTrue(
                evalHtml.contains("HiResCAM overlay of the predicted class"),
                "its gallery shows class-activation overlays");
        assertTrue(Files.size(tmp.resolve("eval/roc.png")) > 0 && Files.size(tmp.resolve("eval/calibration.png")) > 0);

        // predict: the weights are found from the model's hint; a bad image gets its own line
        Path bad = Files.writeString(tmp.resolve("not-an-image.jpg"), "hello");
        Path good = data.resolve("covid/nCoV-radiol.2020200269.fig1-day7.jpeg");
        CliRun predict = CliRun.of(
                "predict",
                "--model",
                model.toString(),
                good.toString(),
                bad.toString(),
                data.resolve("normal").toString());
        assertEquals(1, predict.exit(), "an image failed: " + predict.err());
        List<String> lines = predict.out().lines().toList();
        assertEquals("path,predicted,p_covid,p_normal,error", lines.get(0));
        assertEquals(1 + 1 + 1 + 3, lines.size(), predict.out());
        assertTrue(lines.get(1).startsWith(good + ","), lines.get(1));
        String[] goodCols = lines.get(1).split(",", -1);
        assertTrue(goodCols[1].equals("covid") || goodCols[1].equals("normal"));
        float sum = Float.parseFloat(goodCols[2]) + Float.parseFloat(goodCols[3]);
        assertEquals(1f, sum, 2e-6f, "probabilities sum to 1 (6 decimals each)");
        assertEquals("", goodCols[4]);
        String[] badCols = lines.get(2).split(",", 5);
        assertEquals(bad.toString(), badCols[0]);
        assertEquals("", badCols[1]);
        assertFalse(badCols[4].isBlank(), "the error column says why: " + lines.get(2));
        assertTrue(predict.err().contains("1 of 5 images could not be used (see the error column)"), predict.err());

        Path csv = tmp.resolve("predictions.csv");
        CliRun toFile = CliRun.of(
                "predict",
                "--model",
                model.toString(),
                "--weights",
                CliRun.narrowWeights().toString(),
                "--csv",
                csv.toString(),
                good.toString());
        assertEquals(0, toFile.exit(), toFile.err());
        assertEquals(
                lines.get(1), Files.readAllLines(csv).get(1), "same prediction whichever way the weights are found");

        // a model trained on other base weights is refused
        ModelFile m = ModelFile.read(model);
        ModelFile other = new ModelFile(
                m.classes(),
                m.inputSize(),
                m.preprocessing(),
                "0".repeat(32),
                m.baseWidths(),
                m.baseWeightsHint(),
                m.channels(),
                m.denseKernel(),
                m.denseBias(),
                m.dense1Kernel(),
                m.dense1Bias(),
                m.seed(),
                m.head());
        Path otherFile = tmp.resolve("other.h5");
        other.write(otherFile);
        CliRun mismatch = CliRun.of("predict", "--model", otherFile.toString(), good.toString());
        assertEquals(1, mismatch.exit());
        assertTrue(
                mismatch.lastErrorLine().startsWith("cxr: the model was trained on VGG16 weights with md5 0000"),
                mismatch.err());
    }

    @Test
    void trainWithFoldsAndGroupsWritesEachFoldAndThePooledReport() throws Exception {
        Path data = CliRun.sixImages(tmp.resolve("data"));
        // the two auntminnie films are one patient
        Path groups = Files.writeString(
                tmp.resolve("groups.csv"),
                "file,group\n"
                        + "auntminnie-b-2020_01_28_23_51_6665_2020_01_28_Vietnam_coronavirus.jpeg,p6665\n"
                        + "auntminnie-d-2020_01_28_23_51_6665_2020_01_28_Vietnam_coronavirus.jpeg,p6665\n"
                        + "nCoV-radiol.2020200269.fig1-day7.jpeg,p269\n"
                        + "person1102_bacteria_3043.jpeg,p1102\nperson259_bacteria_1220.jpeg,p259\n"
                        + "person525_bacteria_2216.jpeg,p525\n");
        Path out = tmp.resolve("cv");
        CliRun train = CliRun.of(
                "train",
                "--dataset",
                data.toString(),
                "--weights",
                CliRun.narrowWeights().toString(),
                "--epochs",
                "1",
                "--batch-size",
                "2",
                "--no-augment",
                "--folds",
                "2",
                "--groups",
                groups.toString(),
                "--output",
                out.toString(),
                "--device",
                "cpu");
        assertEquals(0, train.exit(), train.err());
        assertTrue(
                train.out().startsWith("cxr train --folds 2: every image's out-of-fold prediction (6 images)"),
                train.out());
        assertTrue(train.out().contains(Report.DISCLAIMER));
        assertTrue(train.out().contains("0 of the 6 images share a group with training images"), train.out());
        assertTrue(train.err().contains("cross-validation: "), "the time is said: " + train.err());
        for (String f : List.of(
                "report.txt",
                "report.json",
                "roc.png",
                "calibration.png",
                "report.html",
                "fold-1/model.h5",
                "fold-1/report.html",
                "fold-2/model.h5",
                "fold-2/report.json")) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
    }
}
