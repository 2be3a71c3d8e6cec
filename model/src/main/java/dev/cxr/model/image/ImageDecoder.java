package dev.cxr.model.image;

import dev.cxr.engine.CxrException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * Decodes an image file to 8-bit RGB, as OpenCV's {@code imread(path, IMREAD_COLOR)} then BGR to
 * RGB does. Every failure is a {@link CxrException} naming the file.
 */
public final class ImageDecoder {
    private ImageDecoder() {
    }

    public static RgbImage read(Path file) {
        BufferedImage img;
        try {
            img = ImageIO.read(file.toFile());
        } catch (IOException e) {
            throw new CxrException(file + ": cannot decode image (" + e.getMessage() + ")", e);
        }
        if (img == null) {
            throw new CxrException(file + ": not an image this build can read (JPEG and PNG are supported)");
        }
        int w = img.getWidth();
        int h = img.getHeight();
        byte[] px = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = img.getRGB(x, y);
                int i = (y * w + x) * 3;
                px[i] = (byte) (rgb >> 16);
                px[i + 1] = (byte) (rgb >> 8);
                px[i + 2] = (byte) rgb;
            }
        }
        return new RgbImage(w, h, px);
    }
}
