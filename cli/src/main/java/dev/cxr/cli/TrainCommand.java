package dev.cxr.cli;

import dev.cxr.engine.CxrException;
import dev.cxr.engine.backend.Backend;
import dev.cxr.model.data.Groups;
import dev.cxr.model.data.ImageFolder;
import dev.cxr.model.data.StratifiedGroupKFold;
import dev.cxr.model.html.HtmlReport;
import dev.cxr.model.image.Preprocessing;
import dev.cxr.model.train.CrossValidation;
import dev.cxr.model.train.ProgressBarListener;
import dev.cxr.model.train.TrainConfig;
import dev.cxr.model.train.TrainingRun;
import dev.cxr.model.weights.WeightsStore;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code cxr train}: the tutorial's training run, writing model.h5, plot.png, history.csv and the
 * reports; with {@code --folds K}, K such runs of a cross-validation and the pooled report.
 */
@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        description = {
            "Train the COVID-19 classifier head on a frozen VGG16, as the tutorial did.",
            "Writes model.h5, plot.png, history.csv, report.txt, report.json, roc.png, calibration.png and report.html"
                    + " into the output folder; with --folds K, each fold's in fold-N/ and the pooled report beside them.",
            "Educational only: not a medical device, not for diagnosis."
        })
public final class TrainCommand implements Callable<Integer> {

    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Option(
            names = "--dataset",
            paramLabel = "DIR",
            description =
                    "Folder with one sub-folder of images per class. Default: the bundled " + RepoPaths.DATASET + ".")
    Path dataset;

    @Option(
            names = "--weights",
            paramLabel = "FILE",
            description =
                    "VGG16 'notop' weights in the Keras HDF5 layout. Default: the verified ImageNet file (fetched on first use).")
    Path weights;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "25", description = "Default: ${DEFAULT-VALUE}.")
    int epochs;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "8", description = "Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(
            names = "--lr",
            paramLabel = "RATE",
            defaultValue = "1e-3",
            description = "Adam's learning rate, decayed by lr/epochs per step. Default: ${DEFAULT-VALUE}.")
    float learningRate;

    @Option(
            names = "--seed",
            paramLabel = "N",
            defaultValue = "42",
            description =
                    "Seed of the split, the initial weights, dropout, shuffling and augmentation. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(
            names = "--preprocess",
            paramLabel = "caffe|tutorial",
            defaultValue = "caffe",
            converter = Converters.PreprocessingConverter.class,
            description = "caffe: what the ImageNet weights expect (BGR, mean subtracted); tutorial: pixels / 255,"
                    + " as the tutorial did. Default: ${DEFAULT-VALUE}.")
    Preprocessing preprocessing;

    @Option(
            names = "--no-augment",
            description = "No random rotation: every image goes through VGG16 once (much faster).")
    boolean noAugment;

    @Option(
            names = "--test-split",
            paramLabel = "FRACTION",
            description = "Fraction held out for testing, stratified (grouped with --groups). Default: 0.2.")
    Double testSplit;

    @Option(
            names = "--groups",
            paramLabel = "FILE",
            description =
                    "CSV with the columns file (path relative to the dataset, or bare name) and group (a patient):"
                            + " the split or the folds never put a group on both sides. The bundled dataset's is "
                            + RepoPaths.DATASET + "/groups.csv. 'dicom': each DICOM image's Patient ID (hashed).")
    Path groups;

    @Option(
            names = "--folds",
            paramLabel = "K",
            description =
                    "K-fold cross-validation (K >= 2; stratified, grouped with --groups, seeded): one training"
                            + " per fold in fold-N/, and a report of every image's out-of-fold prediction. Takes K times as long.")
    Integer folds;

    @Option(names = "--output", paramLabel = "DIR", description = "Where the outputs go. Default: runs/<timestamp>/.")
    Path output;

    /** The files a training run writes; an earlier run's are removed before a new one starts in the same folder. */
    static final java.util.List<String> OUTPUTS = java.util.List.of(
            "model.h5",
            "history.csv",
            "report.txt",
            "report.json",
            "plot.png",
            "roc.png",
            "calibration.png",
            HtmlReport.FILE,
            "fold-[0-9]*");

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Consumer<String> log = Notices.to(err);
        if (folds != null && testSplit != null) {
            throw new CxrException("give --test-split or --folds, not both: with --folds every image is tested once");
        }
        TrainConfig config = new TrainConfig(
                epochs,
                batchSize,
                learningRate,
                seed,
                preprocessing,
                !noAugment,
                testSplit == null ? TrainConfig.TEST_SPLIT : testSplit,
                true,
                dev.cxr.model.classifier.Head.DROPOUT);
        RepoPaths paths = RepoPaths.fromEnvironment();
        Path data = paths.dataset(dataset);
        // the quick checks first, so a wrong folder, groups file or fold count fails before the device is
        // opened or weights fetched
        ImageFolder scanned = ImageFolder.scan(data);
        scanned.requireTrainable("");
        Groups g = groups == null ? null : Groups.read(groups, scanned.samples());
        if (folds != null) {
            StratifiedGroupKFold.assign(scanned.labels(), scanned.classes(), g == null ? null : g.array(), folds, seed);
        }
        // then the output folder and the device, so a missing GPU is said before any weights are downloaded
        OutputFolder.write(paths.output(output, LocalDateTime.now()), "the report", OUTPUTS, log, dir -> {
            try (Backend backend = main.global.openBackend(err)) {
                Path weightsFile = weights != null ? weights : WeightsStore.resolveDefault(log);
                log.accept("training on " + backend.name() + ", output in " + dir);
                ProgressBarListener progress = new ProgressBarListener(err, System.console() != null);
                if (folds == null) {
                    TrainingRun.Result r =
                            TrainingRun.run(backend, data, weightsFile, config, groups, dir, log, progress);
                    out.print(Files.readString(r.output().resolve("report.txt")));
                    out.flush();
                    log.accept(String.format(
                            Locale.ROOT,
                            "wrote model.h5, plot.png, history.csv, report.txt,"
                                    + " report.json, roc.png, calibration.png and report.html to %s (%.1f s)",
                            r.output(),
                            r.seconds()));
                } else {
                    CrossValidation.Result r =
                            CrossValidation.run(backend, data, weightsFile, config, folds, groups, dir, log, progress);
                    out.print(Files.readString(r.output().resolve("report.txt")));
                    out.flush();
                    log.accept(String.format(
                            Locale.ROOT,
                            "wrote %s/ to %s/ and the pooled report.txt, report.json,"
                                    + " roc.png, calibration.png and report.html to %s (%.1f s for %d trainings)",
                            CrossValidation.foldFolder(0),
                            CrossValidation.foldFolder(folds - 1),
                            r.output(),
                            r.seconds(),
                            folds));
                }
            }
        });
        return 0;
    }
}
