package dev.cxr.cli;

import dev.cxr.engine.backend.Backend;
import dev.cxr.engine.io.AtomicFiles;
import dev.cxr.model.classifier.Classifier;
import dev.cxr.model.classifier.ModelFile;
import dev.cxr.model.eval.Predictor;
import dev.cxr.model.eval.Report;
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
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code cxr predict}: class probabilities for images, one CSV line each. An image that cannot be
 * used gets a line saying why, the others are still predicted, and the exit code is then 1.
 */
@Command(
        name = "predict",
        mixinStandardHelpOptions = true,
        description = {
            "Predict the class of X-ray images with a model.h5 written by 'cxr train'.",
            "Prints CSV: path, predicted class, the probability of each class, and an error column for"
                    + " images that could not be read. Exit code 1 when any image failed.",
            "Educational only: not a medical device, not for diagnosis."
        })
public final class PredictCommand implements Callable<Integer> {

    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions modelOptions;

    @Parameters(paramLabel = "IMAGE|DIR", arity = "1..*", description = "Image files, or folders searched for images.")
    List<Path> inputs;

    @Option(names = "--csv", paramLabel = "FILE", description = "Write the CSV to this file instead of the screen.")
    Path csv;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Consumer<String> log = Notices.to(err);
        ModelFile m = ModelFile.read(modelOptions.model, log);
        List<Path> files = Predictor.expand(inputs, log);
        if (files.isEmpty()) {
            throw new dev.cxr.engine.CxrException("no images found in " + inputs
                    + " (images are .jpg, .jpeg, .png, .bmp, .tif, .dcm, or DICOM of any name)");
        }
        if (csv != null) {
            Path parent = csv.toAbsolutePath().getParent();
            AtomicFiles.requireWritableFolder(parent);
        }
        List<Predictor.Row> rows;
        // the device first: a missing GPU is said before any weights are downloaded
        try (Backend backend = main.global.openBackend(err)) {
            Path weightsFile =
                    Classifier.chooseWeights(m, modelOptions.weights, () -> WeightsStore.resolveDefault(log));
            try (Classifier classifier = Classifier.open(backend, m, weightsFile)) {
                rows = Predictor.predict(classifier, files);
            }
        }
        String text = Predictor.csv(m.classes(), rows);
        if (csv != null) {
            AtomicFiles.writeString(csv, text);
            log.accept("wrote " + rows.size() + " predictions to " + csv);
        } else {
            out.print(text);
            out.flush();
        }
        log.accept(Report.DISCLAIMER);
        long failed = rows.stream().filter(Predictor.Row::failed).count();
        if (failed > 0) {
            log.accept(failed + " of " + rows.size() + " images could not be used (see the error column)");
            return Main.EXIT_USER_ERROR;
        }
        return 0;
    }
}
