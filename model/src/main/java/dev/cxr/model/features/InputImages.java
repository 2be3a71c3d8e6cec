package dev.cxr.model.features;

import dev.cxr.engine.CxrException;
import dev.cxr.model.image.Resize;
import dev.cxr.model.image.RgbImage;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The rules an image meets before the network sees it, in one place for every command: decoded to
 * 8-bit RGB, refused when too small to be an X-ray, resized to the input size ignoring the aspect
 * ratio (OpenCV's INTER_LINEAR, as the tutorial). Every refusal is one line starting with the
 * source's name.
 */
public final class InputImages {
    /**
     * The smallest side accepted, in pixels. Chest X-rays are hundreds to thousands of pixels on a
     * side; anything under 32 is an icon or a broken file, and stretching it to 224 would feed the
     * network an image of nothing.
     */
    public static final int MIN_SIDE = 32;

    private InputImages() {}

    /**
     * The image at full size, checked: what {@code cxr audit} measures.
     *
     * @throws CxrException when it cannot be decoded or is smaller than {@link #MIN_SIDE}
     */
    public static RgbImage decode(ImageSource source) {
        RgbImage img;
        try {
            img = source.decode();
        } catch (CxrException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CxrException(source.name() + ": cannot decode image (" + e + ")", e);
        }
        if (img.width() < MIN_SIDE || img.height() < MIN_SIDE) {
            throw new CxrException(source.name() + ": too small to be an X-ray (" + img.width() + "x" + img.height()
                    + " pixels; at least " + MIN_SIDE + "x" + MIN_SIDE + " needed)");
        }
        return img;
    }

    /**
     * The image as the network's input, {@code size x size}.
     *
     * @throws CxrException when it cannot be decoded or is smaller than {@link #MIN_SIDE}
     */
    public static RgbImage load(ImageSource source, int size) {
        return Resize.bilinear(decode(source), size, size);
    }

    /**
     * Loads every source, in parallel over the CPU cores (each image is independent, and the result
     * keeps the sources' order, so it does not depend on the scheduling); one result per source.
     */
    public static <S extends ImageSource> List<ImageResult<S, RgbImage>> loadAll(List<S> sources, int size) {
        @SuppressWarnings("unchecked")
        ImageResult<S, RgbImage>[] results = new ImageResult[sources.size()];
        IntStream.range(0, sources.size()).parallel().forEach(i -> {
            S source = sources.get(i);
            try {
                results[i] = ImageResult.of(source, load(source, size));
            } catch (CxrException e) {
                results[i] = ImageResult.failed(source, e.getMessage());
            }
        });
        return List.of(results);
    }

    /** A message without the leading {@code "name: "} that every message about the source starts with. */
    static String withoutName(ImageSource source, String message) {
        String prefix = source.name() + ": ";
        return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
    }
}
