package dev.cxr.cli;

import dev.cxr.model.weights.Vgg16Weights;
import dev.cxr.model.weights.WeightsStore;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code cxr weights fetch} downloads the VGG16 ImageNet weights into the weights folder and checks
 * their md5; {@code cxr weights verify FILE} checks a file's layout and says whether it is the
 * official file.
 */
@Command(
        name = "weights",
        description = "Get and check the VGG16 ImageNet weights (no top, Keras HDF5).",
        subcommands = {WeightsCommand.Fetch.class, WeightsCommand.Verify.class})
public final class WeightsCommand implements Runnable {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is needed: fetch or verify");
    }

    /** Downloads the official file unless a correct one is already in place. */
    @Command(
            name = "fetch",
            description = {
                "Download " + Vgg16Weights.IMAGENET_NOTOP_FILE + " (58,889,256 bytes, md5 "
                        + Vgg16Weights.IMAGENET_NOTOP_MD5 + ")",
                "into weights/ of the repository (./cxr), else $CXR_HOME/weights, else ~/.cache/cxr/weights.",
                "Another address: -D" + WeightsStore.URL_PROPERTY + "=URL or $" + WeightsStore.URL_ENV + "."
            })
    static final class Fetch implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            WeightsStore store = WeightsStore.fromEnvironment(Notices.to(err));
            Path file = store.fetch();
            spec.commandLine().getOut().println(file);
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

    /** Checks a file's layout (VGG16's 13 convolutions, Keras 1 or 2) and its md5. */
    @Command(
            name = "verify",
            description =
                    "Check that FILE holds VGG16's weights (Keras 1/2 layout, VGG16 shapes) and whether it is the official ImageNet file.")
    static final class Verify implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(paramLabel = "FILE", description = "A Keras HDF5 weights file.")
        Path file;

        @Override
        public Integer call() {
            Vgg16Weights.Verification v = Vgg16Weights.verify(file);
            String layout = "valid VGG16 weights layout (Keras " + v.kerasVersion()
                    + (v.withTop() ? ", with top" : ", no top") + ")";
            PrintWriter out = spec.commandLine().getOut();
            if (v.official()) {
                out.println(file + ": " + layout + ", md5 " + v.md5() + ": the official ImageNet weights");
            } else {
                out.println(file + ": " + layout + ", not the official weights (md5 " + v.md5()
                        + ", the official file has " + Vgg16Weights.IMAGENET_NOTOP_MD5 + ")");
            }
            out.flush();
            return 0;
        }
    }
}
