package dev.cxr.cli;

import dev.cxr.model.audit.AuditConfig;
import dev.cxr.model.audit.AuditResult;
import dev.cxr.model.audit.DatasetAudit;
import dev.cxr.model.html.AuditPages;
import dev.cxr.model.html.HtmlReport;
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
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code cxr audit}: a dataset's duplicates, source shortcuts and patient leaks, before any training. */
@Command(
        name = "audit",
        mixinStandardHelpOptions = true,
        description = {
            "Look at a dataset before training on it: exact and near duplicates (within a class, across"
                    + " classes, across train and test), each class's formats, colour modes and sizes, a classifier of"
                    + " file metadata alone (cross-validated, with AUC and accuracy intervals), and patient leakage of the"
                    + " splits when a groups file is given. Ends with a verdict; writes audit.txt, audit.json and report.html. Needs no"
                    + " weights and no network.",
            "Educational only: not a medical device, not for diagnosis."
        })
public final class AuditCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(
            index = "0",
            arity = "0..1",
            paramLabel = "DATASET",
            description =
                    "Folder with one sub-folder of images per class. Default: the bundled " + RepoPaths.DATASET + ".")
    Path dataset;

    @Option(
            names = "--groups",
            paramLabel = "FILE",
            description =
                    "CSV with the columns file (path relative to the dataset, or bare name) and group (a patient):"
                            + " splits are checked for test images that share a group with training. The bundled dataset's"
                            + " is " + RepoPaths.DATASET
                            + "/groups.csv. 'dicom': each DICOM image's Patient ID (hashed).")
    Path groups;

    @Option(
            names = "--test-split",
            paramLabel = "FRACTION",
            description =
                    "Check the train/test split of this test fraction: cxr train's, and a grouped one with --groups.")
    Double testSplit;

    @Option(
            names = "--folds",
            paramLabel = "K",
            description = "Check a K-fold split (stratified, and grouped with --groups); also the metadata baseline's"
                    + " folds (default " + AuditConfig.BASELINE_FOLDS + ").")
    Integer folds;

    @Option(
            names = "--seed",
            paramLabel = "N",
            defaultValue = "42",
            description = "Seed of the splits, the folds and the bootstrap. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(
            names = "--out",
            paramLabel = "DIR",
            description = "Where audit.txt, audit.json and report.html go. Default: runs/<timestamp>/.")
    Path out;

    /** The files an audit writes; an earlier audit's are removed before a new one starts in the same folder. */
    static final java.util.List<String> OUTPUTS = java.util.stream.Stream.concat(
                    dev.cxr.model.audit.AuditResult.FILES.stream(), java.util.stream.Stream.of(HtmlReport.FILE))
            .toList();

    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Consumer<String> log = Notices.to(err);
        AuditConfig config = new AuditConfig(groups, testSplit, folds, seed, AuditConfig.NEAR_DISTANCE);
        RepoPaths paths = RepoPaths.fromEnvironment();
        Path data = paths.dataset(dataset);
        if (groups == null && Files.isRegularFile(data.resolve("groups.csv"))) {
            log.accept("note: " + data.resolve("groups.csv") + " exists; pass it as --groups to check patient leakage");
        }
        OutputFolder.write(paths.output(out, LocalDateTime.now()), "audit.txt", OUTPUTS, log, dir -> {
            AuditResult result = DatasetAudit.run(data, config, log);
            result.writeTo(dir);
            HtmlReport.write(dir.resolve(HtmlReport.FILE), AuditPages.of(result, dir));
            stdout.print(Files.readString(dir.resolve("audit.txt")));
            stdout.flush();
            log.accept(String.format(
                    Locale.ROOT,
                    "wrote %s to %s (%.1f s)",
                    result.baseline() == null
                            ? "audit.txt, audit.json and report.html"
                            : "audit.txt, audit.json, baseline-roc.png, baseline-calibration.png and report.html",
                    dir,
                    result.seconds()));
        });
        return 0;
    }
}
