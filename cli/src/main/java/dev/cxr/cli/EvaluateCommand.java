package dev.cxr.cli;

import dev.cxr.engine.backend.Backend;
import dev.cxr.engine.io.AtomicFiles;
import dev.cxr.model.eval.EvaluationRun;
import dev.cxr.model.eval.Report;
import dev.cxr.model.explain.CamPictures;
import dev.cxr.model.html.HtmlReport;
import dev.cxr.model.html.ReportGallery;
import dev.cxr.model.html.ReportPages;
import dev.cxr.model.weights.WeightsStore;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code cxr evaluate}: a saved model on a labelled dataset folder, with the training report's metrics. */
@Command(
        name = "evaluate",
        mixinStandardHelpOptions = true,
        description = {
            "Evaluate a model.h5 written by 'cxr train' on every image of a dataset folder"
                    + " (class sub-folders named like the model's classes). Prints the report. An external labelled"
                    + " folder, from other sources than the training images, is the test to trust.",
            "Educational only: not a medical device, not for diagnosis."
        })
public final class EvaluateCommand implements Callable<Integer> {

    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions modelOptions;

    @Option(
            names = "--dataset",
            paramLabel = "DIR",
            description =
                    "Folder with one sub-folder of images per class. Default: the bundled " + RepoPaths.DATASET + ".")
    Path dataset;

    @Option(
            names = "--output",
            paramLabel = "DIR",
            description = "Also write report.txt, report.json, roc.png, calibration.png and report.html here.")
    Path output;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Consumer<String> log = Notices.to(err);
        Path data = RepoPaths.fromEnvironment().dataset(dataset);
        Path outDir = output == null ? null : AtomicFiles.requireWritableFolder(output);
        try (Backend backend = main.global.openBackend(err)) {
            EvaluationRun.Result r = EvaluationRun.run(
                    backend,
                    modelOptions.model,
                    data,
                    modelOptions.weights,
                    () -> WeightsStore.resolveDefault(log),
                    log);
            Report report = r.report();
            out.print(report.text());
            out.flush();
            if (outDir != null) {
                report.writeTo(outDir);
                try (CamPictures overlays = new CamPictures(backend, r.weightsFile(), r.model())) {
                    HtmlReport.write(
                            outDir.resolve(HtmlReport.FILE),
                            ReportPages.of(
                                    report,
                                    outDir,
                                    List.of(),
                                    ReportGallery.of(
                                            report.metrics().classes(), report.predictions(), r.images(), overlays)));
                }
                log.accept("wrote report.txt, report.json, roc.png, calibration.png and report.html to " + outDir);
            }
        }
        return 0;
    }
}
