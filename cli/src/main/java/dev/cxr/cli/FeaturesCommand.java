package dev.cxr.cli;

import dev.cxr.engine.CxrException;
import dev.cxr.engine.backend.Backend;
import dev.cxr.engine.io.AtomicFiles;
import dev.cxr.engine.tensor.Shape;
import dev.cxr.model.Vgg16;
import dev.cxr.model.features.FeatureExtractor;
import dev.cxr.model.features.FrozenBase;
import dev.cxr.model.features.ImageResult;
import dev.cxr.model.features.KerasLayout;
import dev.cxr.model.features.PathSource;
import dev.cxr.model.image.Preprocessing;
import dev.cxr.model.weights.WeightsStore;
import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableDataset;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code cxr features}: each image's VGG16 block5_pool output, loaded, preprocessed and run through
 * the base as in training ({@link FeatureExtractor}), written to an HDF5 file with one dataset per
 * image named by its file name. The layout is Keras's: HWC (7, 7, 512), row, column, channel,
 * recorded in a {@code layout} attribute. An image that cannot be used stops the command with its
 * one-line reason and no file. The file is written to a temporary name and renamed into place.
 */
@Command(
        name = "features",
        description = {
            "Write each image's VGG16 block5_pool features (7x7x512, HWC as Keras gives them) to an HDF5 file,"
                    + " one float32 dataset per image named by its file name."
        })
public final class FeaturesCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--weights",
            paramLabel = "FILE",
            description = "VGG16 weights (Keras HDF5, no top). Default: the ImageNet file, fetched on first use.")
    Path weights;

    @Option(
            names = "--preprocess",
            paramLabel = "caffe|tutorial",
            defaultValue = "caffe",
            description =
                    "caffe: BGR minus the ImageNet means, what the weights were trained with; tutorial: RGB / 255. Default: ${DEFAULT-VALUE}.")
    String preprocess;

    @Option(
            names = "--out",
            paramLabel = "OUT.h5",
            required = true,
            description = "The HDF5 file to write (replaced if it exists).")
    Path out;

    @Option(
            names = "--batch-size",
            paramLabel = "N",
            defaultValue = "8",
            description = "Images per forward pass. Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Parameters(paramLabel = "IMAGE", arity = "1..*", description = "JPEG, PNG or DICOM files.")
    List<Path> images;

    /** What was computed: the features in HWC and what the file records about them. */
    private record Computed(List<float[]> hwc, Shape shape, Path weightsFile, String md5, String backend) {}

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        Preprocessing mode = Preprocessing.parse(preprocess);
        if (batchSize < 1) {
            throw new CxrException("--batch-size must be at least 1, got " + batchSize);
        }
        List<String> names = datasetNames(images);
        requireWritableTarget(out);
        Computed c = compute(mode, err);
        write(names, c, mode);
        spec.commandLine()
                .getOut()
                .println("wrote " + images.size() + " block5_pool feature maps ("
                        + c.shape().h() + "x" + c.shape().w() + "x" + c.shape().c() + ", " + mode + ") to " + out);
        spec.commandLine().getOut().flush();
        return 0;
    }

    /** The features of every image, a batch at a time; the first image that cannot be used stops it. */
    private Computed compute(Preprocessing mode, PrintWriter err) {
        // the device first: a missing GPU is said before any weights are downloaded
        try (Backend backend = main.global.openBackend(err)) {
            Path weightsFile = weights != null ? weights : WeightsStore.resolveDefault(Notices.to(err));
            try (FrozenBase base = FrozenBase.load(backend, weightsFile)) {
                FeatureExtractor extractor = new FeatureExtractor(base, mode, Vgg16.INPUT_SIZE, batchSize);
                Shape shape = extractor.featureShape(1);
                List<PathSource> sources = images.stream().map(PathSource::new).toList();
                List<float[]> hwc = new ArrayList<>();
                for (int start = 0; start < sources.size(); start += batchSize) {
                    List<PathSource> batch = sources.subList(start, Math.min(sources.size(), start + batchSize));
                    for (ImageResult<PathSource, float[]> r : extractor.extract(batch)) {
                        if (!r.ok()) {
                            throw new CxrException(r.error());
                        }
                        hwc.add(KerasLayout.chwToHwc(r.value(), 0, shape.c(), shape.h(), shape.w()));
                    }
                    err.println("cxr: features " + (start + batch.size()) + "/" + sources.size());
                    err.flush();
                }
                return new Computed(hwc, shape, weightsFile, base.md5(), backend.name());
            }
        }
    }

    /** File names as dataset names; two images with the same name would overwrite each other: refused. */
    static List<String> datasetNames(List<Path> images) {
        Map<String, Path> seen = new HashMap<>();
        List<String> names = new ArrayList<>();
        for (Path p : images) {
            String name = p.getFileName().toString();
            Path before = seen.putIfAbsent(name, p);
            if (before != null) {
                throw new CxrException("two images are named " + name + " (" + before + " and " + p
                        + "): datasets are named by file name, so rename one or run them separately");
            }
            names.add(name);
        }
        return names;
    }

    private static void requireWritableTarget(Path out) {
        if (Files.isDirectory(out)) {
            throw new CxrException(out + " is a folder: --out needs a file name, e.g. " + out.resolve("features.h5"));
        }
        Path parent = out.toAbsolutePath().getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new CxrException("--out " + out + ": the folder " + parent + " does not exist");
        }
    }

    /** HWC floats as the [h][w][c] array jHDF writes as a (h, w, c) dataset. */
    private static float[][][] nested(float[] hwc, Shape shape) {
        float[][][] a = new float[shape.h()][shape.w()][shape.c()];
        for (int y = 0; y < shape.h(); y++) {
            for (int x = 0; x < shape.w(); x++) {
                System.arraycopy(hwc, (y * shape.w() + x) * shape.c(), a[y][x], 0, shape.c());
            }
        }
        return a;
    }

    private void write(List<String> names, Computed c, Preprocessing mode) {
        AtomicFiles.writeFile(out, tmp -> {
            try (WritableHdfFile h5 = HdfFile.write(tmp)) {
                h5.putAttribute("description", "VGG16 block5_pool features written by cxr features");
                h5.putAttribute("layer", "block5_pool");
                h5.putAttribute(
                        "layout",
                        "HWC: (" + c.shape().h() + ", " + c.shape().w() + ", channels) = (row, column,"
                                + " channel), float32, row-major; Keras's NHWC block5_pool without the batch axis");
                h5.putAttribute("preprocessing", mode.toString());
                h5.putAttribute("weights_file", c.weightsFile().getFileName().toString());
                h5.putAttribute("weights_md5", c.md5());
                h5.putAttribute("backend", c.backend());
                h5.putAttribute("images", names.toArray(new String[0]));
                for (int i = 0; i < names.size(); i++) {
                    WritableDataset ds =
                            h5.putDataset(names.get(i), nested(c.hwc().get(i), c.shape()));
                    ds.putAttribute("layout", "HWC");
                    ds.putAttribute("source", images.get(i).toString());
                }
            }
        });
    }
}
