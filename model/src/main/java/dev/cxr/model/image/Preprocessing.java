package dev.cxr.model.image;

import dev.cxr.engine.CxrException;
import java.util.Locale;

/**
 * How 8-bit RGB becomes the network's float input. {@link #CAFFE} is what the VGG16 ImageNet weights
 * were trained with (RGB to BGR, ImageNet channel means subtracted, no scaling); {@link #TUTORIAL}
 * is what the tutorial did (RGB / 255).
 */
public enum Preprocessing {
    CAFFE,
    TUTORIAL;

    /** ImageNet means in B, G, R order, as Keras's vgg16.preprocess_input subtracts them. */
    private static final float[] BGR_MEANS = {103.939f, 116.779f, 123.68f};

    /**
     * Writes the image as 3 planes of height x width floats (CHW, one item of an NCHW batch) into
     * {@code dst} from {@code offset}.
     */
    public void toChw(RgbImage img, float[] dst, int offset) {
        int plane = img.width() * img.height();
        for (int i = 0; i < plane; i++) {
            for (int c = 0; c < 3; c++) {
                int v = img.pixels()[i * 3 + c] & 0xff;
                if (this == TUTORIAL) {
                    dst[offset + c * plane + i] = v / 255.0f;
                } else {
                    int bgr = 2 - c;
                    dst[offset + bgr * plane + i] = v - BGR_MEANS[bgr];
                }
            }
        }
    }

    public static Preprocessing parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new CxrException("unknown preprocessing '" + text + "': use caffe or tutorial");
        }
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
