package dev.cxr.model.html;

import dev.cxr.engine.CxrException;
import dev.cxr.model.eval.Prediction;
import dev.cxr.model.features.ImageSource;
import dev.cxr.model.features.InputImages;
import java.util.Objects;

/**
 * Where the picture of each gallery entry of {@code report.html} comes from: an image and what the
 * classifier said of it give a picture (PNG or JPEG bytes) and a caption that says what it shows.
 * {@link #AS_READ}, the default, is the X-ray as read, shrunk; a class-activation overlay plugs in
 * as another implementation, so this package needs nothing from whatever computes it. The gallery
 * shrinks every picture to a thumbnail, so its size on the page stays bounded whatever comes in.
 */
@FunctionalInterface
public interface GalleryPictures {

    /**
     * @param encoded PNG or JPEG bytes
     * @param caption what the picture shows ("image as read", "HiResCAM overlay of covid")
     */
    record Picture(byte[] encoded, String caption) {
        public Picture {
            Objects.requireNonNull(encoded, "encoded");
            Objects.requireNonNull(caption, "caption");
        }
    }

    /** What {@link #AS_READ} says of its pictures. */
    String AS_READ_CAPTION = "image as read, shrunk (no overlay)";

    /** The X-ray as read (the same decoding as training and prediction), shrunk to a thumbnail. */
    GalleryPictures AS_READ = (image, prediction) ->
            new Picture(Pictures.jpeg(Pictures.shrink(InputImages.decode(image), Pictures.THUMBNAIL)), AS_READ_CAPTION);

    /**
     * The picture of one entry; null where this source has none for the image (the gallery then
     * shows it {@link #AS_READ}).
     *
     * @throws CxrException when the image cannot be read or the picture made; the gallery then tries
     *                      {@link #AS_READ}, and names the image without a picture if that fails too
     */
    Picture picture(ImageSource image, Prediction prediction);
}
