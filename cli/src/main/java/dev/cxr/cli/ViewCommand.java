package dev.cxr.cli;

import dev.cxr.engine.CxrException;
import dev.cxr.engine.io.AtomicFiles;
import dev.cxr.model.Vgg16;
import dev.cxr.model.features.ImageSource;
import dev.cxr.model.features.InputImages;
import dev.cxr.model.image.RgbImage;
import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code cxr view}: what cxr decoded from an image, as an 8-bit PNG, so that a user sees what the
 * model gets: the full-size picture (a DICOM file as a radiology viewer shows it), or with
 * {@code --network-input} the 224x224 image after resizing, before preprocessing. A picture whose
 * pixels are all gray is written as a grayscale PNG, any other as RGB.
 */
@Command(
        name = "view",
        mixinStandardHelpOptions = true,
        description = {
            "Write what cxr decoded from an image (JPEG, PNG or DICOM) as an 8-bit PNG: the full-size picture, or with"
                    + " --network-input the 224x224 image the network is given (resized, before preprocessing).",
            "DICOM files are rendered as a radiology viewer shows them: rescale, then the VOI LUT, the first window or"
                    + " the min-max of the values; MONOCHROME1 inverted."
        })
public final class ViewCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "IMAGE", description = "A JPEG, PNG or DICOM file.")
    Path image;

    @Option(
            names = "--out",
            paramLabel = "OUT.png",
            required = true,
            description = "The PNG to write (replaced if it exists).")
    Path out;

    @Option(
            names = "--network-input",
            description = "Write the 224x224 network input instead of the full-size picture.")
    boolean networkInput;

    @Override
    public Integer call() {
        if (Files.isDirectory(out)) {
            throw new CxrException(out + " is a folder: --out needs a file name, e.g. " + out.resolve("view.png"));
        }
        Path parent = out.toAbsolutePath().getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new CxrException("--out " + out + ": the folder " + parent + " does not exist");
        }
        ImageSource source = ImageSource.of(image);
        RgbImage img = networkInput ? InputImages.load(source, Vgg16.INPUT_SIZE) : source.decode();
        boolean gray = isGray(img);
        AtomicFiles.write(out, o -> writePng(img, gray, o));
        spec.commandLine()
                .getOut()
                .println("wrote " + (networkInput ? "the network input of " : "") + image + " to " + out + " ("
                        + img.width() + "x" + img.height() + ", " + (gray ? "grayscale" : "RGB") + ")");
        spec.commandLine().getOut().flush();
        return 0;
    }

    static boolean isGray(RgbImage img) {
        byte[] p = img.pixels();
        for (int i = 0; i < p.length; i += 3) {
            if (p[i] != p[i + 1] || p[i] != p[i + 2]) {
                return false;
            }
        }
        return true;
    }

    /** The pixels as they are, one band for gray or R, G, B: written from the raster, no colour management. */
    static void writePng(RgbImage img, boolean gray, OutputStream o) throws IOException {
        int w = img.width();
        int h = img.height();
        BufferedImage bi = new BufferedImage(w, h, gray ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_3BYTE_BGR);
        WritableRaster r = bi.getRaster();
        int bands = gray ? 1 : 3;
        int[] row = new int[w * bands];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < bands; c++) {
                    row[x * bands + c] = img.get(x, y, c);
                }
            }
            r.setPixels(0, y, w, 1, row);
        }
        if (!ImageIO.write(bi, "png", o)) {
            throw new IOException("no PNG writer in this JDK");
        }
    }
}
