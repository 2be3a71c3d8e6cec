package dev.cxr.cli;

import dev.cxr.engine.CxrException;
import dev.cxr.engine.backend.Backend;
import dev.cxr.engine.io.AtomicFiles;
import dev.cxr.model.classifier.Classifier;
import dev.cxr.model.classifier.ModelFile;
import dev.cxr.model.eval.Predictor;
import dev.cxr.model.eval.Report;
import dev.cxr.model.explain.CamMethod;
import dev.cxr.model.explain.Explainer;
import dev.cxr.model.explain.Explanation;
import dev.cxr.model.explain.HeatmapsFile;
import dev.cxr.model.explain.Overlay;
import dev.cxr.model.features.ImageResult;
import dev.cxr.model.features.PathSource;
import dev.cxr.model.weights.WeightsStore;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code cxr explain}: what the model looks at, as class-activation maps at block5_conv3
 * ({@link Explainer}): for each image a PNG of the X-ray with the map over it and a caption, and the
 * raw maps of all images in one {@code heatmaps.h5}, every file written under a temporary name and
 * renamed into place. An image that cannot be used gets one line saying why, the others are still
 * explained, and the exit code is then 1.
 */
@Command(
        name = "explain",
        mixinStandardHelpOptions = true,
        description = {
            "Show what a model.h5 written by 'cxr train' looks at: a class-activation map at block5_conv3"
                    + " (14x14) for each image, drawn over the X-ray (IMAGE.png, with the prediction in a caption), and the raw"
                    + " maps of all images in heatmaps.h5.",
            "hirescam (the default) shows only what the score depends on; gradcam spreads channel weights over the whole"
                    + " map, including the part the tutorial's head never reads (hatched in the overlay). See docs/explain.md.",
            "Exit code 1 when any image failed. Educational only: not a medical device, not for diagnosis."
        })
public final class ExplainCommand implements Callable<Integer> {

    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions modelOptions;

    @Parameters(paramLabel = "IMAGE|DIR", arity = "1..*", description = "Image files, or folders searched for images.")
    List<Path> inputs;

    @Option(
            names = "--out",
            paramLabel = "DIR",
            description = "Where the overlays and heatmaps.h5 go. Default: runs/<timestamp>/.")
    Path out;

    @Option(
            names = "--method",
            paramLabel = "hirescam|gradcam",
            defaultValue = "hirescam",
            converter = MethodConverter.class,
            description =
                    "How the map is made from block5_conv3's activations and the logit's gradient. Default: ${DEFAULT-VALUE}.")
    CamMethod method;

    @Option(
            names = "--class",
            paramLabel = "covid|normal|predicted",
            defaultValue = Explainer.PREDICTED,
            description =
                    "Whose logit to explain: a class of the model, or each image's predicted class. Default: ${DEFAULT-VALUE}.")
    String target;

    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Consumer<String> log = Notices.to(err);
        ModelFile model = ModelFile.read(modelOptions.model);
        if (!Explainer.PREDICTED.equals(target) && !model.classes().contains(target)) {
            throw new CxrException("--class " + target + ": the model's classes are "
                    + String.join(", ", model.classes()) + " (or " + Explainer.PREDICTED + ")");
        }
        List<Path> files = Predictor.expand(inputs);
        if (files.isEmpty()) {
            throw new CxrException("no images found in " + inputs
                    + " (images are .jpg, .jpeg, .png, .bmp, .tif, .dcm, or DICOM of any name)");
        }
        // maps are named by file name in heatmaps.h5, and so are the overlays
        FeaturesCommand.datasetNames(files);
        Explainer.Options options = new Explainer.Options(method, target, Overlay.DISPLAY_SIDE);
        int[] failed = {0};
        // an earlier run's heatmaps.h5 goes, and its overlays of these images; overlays of other images
        // stay (each says in its caption what it shows), as does anything else in the folder
        List<String> outputs = new ArrayList<>(List.of(HeatmapsFile.NAME));
        for (Path f : files) {
            outputs.add(globEscaped(Explainer.fileName(f.getFileName().toString()) + ".png"));
        }
        OutputFolder.write(
                RepoPaths.fromEnvironment().output(out, LocalDateTime.now()), "the maps", outputs, log, dir -> {
                    long t0 = System.nanoTime();
                    List<HeatmapsFile.Entry> entries = new ArrayList<>();
                    // the device first: a missing GPU is said before any weights are downloaded
                    try (Backend backend = main.global.openBackend(err)) {
                        Path weightsFile = Classifier.chooseWeights(
                                model, modelOptions.weights, () -> WeightsStore.resolveDefault(log));
                        try (Explainer explainer = Explainer.open(backend, model, weightsFile, options)) {
                            log.accept("explaining " + files.size() + " images on " + backend.name() + " ("
                                    + method.title() + ", " + target + "), output in " + dir);
                            List<PathSource> sources =
                                    files.stream().map(PathSource::new).toList();
                            for (int start = 0; start < sources.size(); start += Explainer.BATCH) {
                                List<PathSource> chunk =
                                        sources.subList(start, Math.min(sources.size(), start + Explainer.BATCH));
                                for (ImageResult<PathSource, Explanation> r : explainer.explainAll(chunk)) {
                                    if (!r.ok()) {
                                        failed[0]++;
                                        err.println("cxr: " + r.error());
                                        err.flush();
                                        continue;
                                    }
                                    Explanation e = r.value();
                                    Path png = dir.resolve(overlayName(e));
                                    AtomicFiles.write(png, o -> o.write(e.overlayPng()));
                                    entries.add(HeatmapsFile.Entry.of(e));
                                    stdout.println(String.format(
                                            Locale.ROOT,
                                            "%s: predicted %s (%.3f), %s of %s -> %s",
                                            e.name(),
                                            e.predictedClass(),
                                            e.probabilities()[e.predicted()],
                                            e.method(),
                                            e.explainedClass(),
                                            png));
                                    stdout.flush();
                                }
                            }
                            if (entries.isEmpty()) {
                                throw new CxrException("none of the " + files.size() + " images could be used");
                            }
                            HeatmapsFile.write(dir.resolve(HeatmapsFile.NAME), entries, explainer);
                        }
                    }
                    double seconds = (System.nanoTime() - t0) / 1e9;
                    log.accept(String.format(
                            Locale.ROOT,
                            "wrote %d overlays and %s to %s (%.1f s, %.2f s per image)",
                            entries.size(),
                            HeatmapsFile.NAME,
                            dir,
                            seconds,
                            seconds / entries.size()));
                });
        log.accept(Report.DISCLAIMER);
        if (failed[0] > 0) {
            log.accept(failed[0] + " of " + files.size() + " images could not be used (see the lines above)");
            return Main.EXIT_USER_ERROR;
        }
        return 0;
    }

    /** A file name as a glob that matches only itself. */
    private static String globEscaped(String name) {
        return name.replaceAll("([\\\\*?\\[\\]{},])", "\\\\$1");
    }

    /** The overlay's file name: the image's, with .png added (unique where the file names are). */
    static String overlayName(Explanation e) {
        return Explainer.fileName(e.name()) + ".png";
    }

    /** Parses --method values with the model's own message for a wrong one. */
    public static final class MethodConverter implements CommandLine.ITypeConverter<CamMethod> {
        @Override
        public CamMethod convert(String value) {
            try {
                return CamMethod.parse(value);
            } catch (CxrException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
