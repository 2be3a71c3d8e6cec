package dev.cxr.cli;

import dev.cxr.engine.CxrException;
import dev.cxr.engine.io.AtomicFiles;
import dev.cxr.engine.backend.Backend;
import dev.cxr.engine.layers.Sequential;
import dev.cxr.engine.tensor.Shape;
import dev.cxr.engine.tensor.Tensor;
import dev.cxr.model.Vgg16;
import dev.cxr.model.image.NetworkInput;
import dev.cxr.model.image.Preprocessing;
import dev.cxr.model.weights.Vgg16Weights;
import dev.cxr.model.weights.WeightsStore;
import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableDataset;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
 * {@code cxr features}: each image's VGG16 block5_pool output, decoded, resized and preprocessed
 * as in training, written to an HDF5 file with one dataset per image named by its file name. The
 * layout is Keras's: HWC (7, 7, 512), row, column, channel, recorded in a {@code layout} attribute.
 * The file is written to a temporary name and renamed into place.
 */
@Command(name = "features", description = {
    "Write each image's VGG16 block5_pool features (7x7x512, HWC as Keras gives them) to an HDF5 file,"
        + " one float32 dataset per image named by its file name."})
public final class FeaturesCommand implements Callable<Integer> {
    private static final String LAYOUT = "HWC: (7, 7, channels) = (row, column, channel), float32, row-major;"
            + " Keras's NHWC block5_pool without the batch axis";

    @ParentCommand
    Main main;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--weights", paramLabel = "FILE",
            description = "VGG16 weights (Keras HDF5, no top). Default: the ImageNet file, fetched on first use.")
    Path weights;

    @Option(names = "--preprocess", paramLabel = "caffe|tutorial", defaultValue = "caffe",
            description = "caffe: BGR minus the ImageNet means, what the weights were trained with; tutorial: RGB / 255. Default: ${DEFAULT-VALUE}.")
    String preprocess;

    @Option(names = "--out", paramLabel = "OUT.h5", required = true, description = "The HDF5 file to write (replaced if it exists).")
    Path out;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "8", description = "Images per forward pass. Default: ${DEFAULT-VALUE}.")
    int batchSize;

    /** Channel widths of a narrow VGG16 (tests run the command on small synthetic weights). */
    @Option(names = "--vgg-widths", hidden = true, split = ",")
    int[] widths = Vgg16.STANDARD_WIDTHS;

    @Parameters(paramLabel = "IMAGE", arity = "1..*", description = "JPEG, PNG or DICOM files.")
    List<Path> images;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        Preprocessing mode = Preprocessing.parse(preprocess);
        if (batchSize < 1) {
            throw new CxrException("--batch-size must be at least 1, got " + batchSize);
        }
        List<String> names = datasetNames(images);
        requireWritableTarget(out);
        int size = Vgg16.INPUT_SIZE;
        int per = 3 * size * size;
        List<float[][][]> features = new ArrayList<>();
        String md5;
        String backendName;
        int channels = widths[widths.length - 1];
        Path weightsFile;
        // the device first: a missing GPU is said before any weights are downloaded
        try (Backend backend = main.global.openBackend(err);
             Sequential net = Vgg16.features(backend, widths)) {
            weightsFile = weights != null ? weights : WeightsStore.resolveDefault(Notices.to(err));
            backendName = backend.name();
            md5 = Vgg16Weights.load(weightsFile, net).md5();
            for (int start = 0; start < images.size(); start += batchSize) {
                int n = Math.min(batchSize, images.size() - start);
                float[] x = new float[n * per];
                for (int i = 0; i < n; i++) {
                    NetworkInput.read(images.get(start + i), size, mode, x, i * per);
                }
                float[] y;
                try (Tensor in = backend.upload(Shape.of(n, 3, size, size), x)) {
                    Tensor t = net.infer(in);
                    y = backend.download(t);
                }
                int plane = channels * 7 * 7;
                for (int i = 0; i < n; i++) {
                    features.add(nested(NetworkInput.chwToHwc(y, i * plane, channels, 7, 7), channels));
                }
                err.println("cxr: features " + (start + n) + "/" + images.size());
                err.flush();
            }
        }
        write(names, features, weightsFile, md5, mode, backendName);
        spec.commandLine().getOut().println("wrote " + images.size() + " block5_pool feature maps (7x7x" + channels + ", "
                + mode + ") to " + out);
        spec.commandLine().getOut().flush();
        return 0;
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

    private static float[][][] nested(float[] hwc, int channels) {
        float[][][] a = new float[7][7][channels];
        for (int y = 0; y < 7; y++) {
            for (int x = 0; x < 7; x++) {
                System.arraycopy(hwc, (y * 7 + x) * channels, a[y][x], 0, channels);
            }
        }
        return a;
    }

    private void write(List<String> names, List<float[][][]> features, Path weightsFile, String md5,
                       Preprocessing mode, String backendName) {
        AtomicFiles.writeFile(out, tmp -> {
            try (WritableHdfFile h5 = HdfFile.write(tmp)) {
                h5.putAttribute("description", "VGG16 block5_pool features written by cxr features");
                h5.putAttribute("layer", "block5_pool");
                h5.putAttribute("layout", LAYOUT);
                h5.putAttribute("preprocessing", mode.toString());
                h5.putAttribute("weights_file", weightsFile.getFileName().toString());
                h5.putAttribute("weights_md5", md5);
                h5.putAttribute("backend", backendName);
                h5.putAttribute("images", names.toArray(new String[0]));
                for (int i = 0; i < names.size(); i++) {
                    WritableDataset ds = h5.putDataset(names.get(i), features.get(i));
                    ds.putAttribute("layout", "HWC");
                    ds.putAttribute("source", images.get(i).toString());
                }
            }
        });
    }
}
