package dev.cxr.model.data;

import dev.cxr.engine.CxrException;
import dev.cxr.model.image.ImageDecoder;
import dev.cxr.model.image.Resize;
import dev.cxr.model.image.RgbImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Reads images for the network: decode to 8-bit RGB, refuse images too small to be an X-ray, resize
 * to the input size ignoring the aspect ratio (OpenCV's INTER_LINEAR, as the tutorial). This is the
 * one place the model uses the image package, so every command reads images the same way.
 */
public final class ImageLoader {
    /**
     * The smallest side accepted, in pixels. Chest X-rays are hundreds to thousands of pixels on a
     * side; anything under 32 is an icon or a broken file, and stretching it to 224 would feed the
     * network an image of nothing.
     */
    public static final int MIN_SIDE = 32;

    /** An image that could not be used, and why (one line). */
    public record Skipped(Path file, String reason) {
    }

    /** The images that loaded, with their samples in the original order, and the ones skipped. */
    public record Loaded(List<Sample> samples, List<RgbImage> images, List<Skipped> skipped) {
    }

    private ImageLoader() {
    }

    /**
     * One image, decoded and resized to {@code size x size}.
     *
     * @throws CxrException when the file cannot be decoded or is smaller than {@link #MIN_SIDE}
     */
    public static RgbImage load(Path file, int size) {
        if (!Files.isRegularFile(file)) {
            throw new CxrException(file + ": " + (Files.exists(file) ? "not a file" : "file not found"));
        }
        try {
            if (Files.size(file) == 0) {
                throw new CxrException(file + ": empty file (0 bytes), not an image");
            }
        } catch (IOException e) {
            throw new CxrException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
        RgbImage img;
        try {
            img = ImageDecoder.read(file);
        } catch (CxrException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CxrException(file + ": cannot decode image (" + e + ")", e);
        }
        if (img.width() < MIN_SIDE || img.height() < MIN_SIDE) {
            throw new CxrException(file + ": too small to be an X-ray (" + img.width() + "x" + img.height()
                    + " pixels; at least " + MIN_SIDE + "x" + MIN_SIDE + " needed)");
        }
        return Resize.bilinear(img, size, size);
    }

    /**
     * Loads every sample once, in parallel over the CPU cores (each image is independent, and the
     * result keeps the samples' order, so it does not depend on the scheduling). Images that fail are
     * left out and listed in {@link Loaded#skipped()}, in sample order.
     */
    public static Loaded loadAll(List<Sample> samples, int size) {
        Object[] results = new Object[samples.size()];
        IntStream.range(0, samples.size()).parallel().forEach(i -> {
            Path file = samples.get(i).file();
            try {
                results[i] = load(file, size);
            } catch (CxrException e) {
                results[i] = new Skipped(file, e.getMessage());
            }
        });
        List<Sample> ok = new ArrayList<>();
        List<RgbImage> images = new ArrayList<>();
        List<Skipped> skipped = new ArrayList<>();
        for (int i = 0; i < results.length; i++) {
            if (results[i] instanceof RgbImage img) {
                ok.add(samples.get(i));
                images.add(img);
            } else {
                skipped.add((Skipped) results[i]);
            }
        }
        return new Loaded(ok, images, skipped);
    }
}
