package dev.cxr.model.audit;

import dev.cxr.model.image.ImageDecoder;
import dev.cxr.model.image.Resize;
import dev.cxr.model.image.RgbImage;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/** Image files for the audit's tests: re-encoded and resized copies, and synthetic X-ray-like pictures. */
final class PlantedImages {
    private PlantedImages() {}

    static BufferedImage buffered(RgbImage img, boolean gray) {
        BufferedImage b = new BufferedImage(
                img.width(), img.height(), gray ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < img.height(); y++) {
            for (int x = 0; x < img.width(); x++) {
                int r = img.get(x, y, 0);
                int g = img.get(x, y, 1);
                int bl = img.get(x, y, 2);
                if (gray) {
                    b.getRaster().setSample(x, y, 0, (r + g + bl) / 3);
                } else {
                    b.setRGB(x, y, r << 16 | g << 8 | bl);
                }
            }
        }
        return b;
    }

    /** {@code source} decoded and written again as a JPEG of the given quality (0..1). */
    static Path reencoded(Path source, Path target, float quality) {
        return jpeg(buffered(ImageDecoder.read(source), false), target, quality);
    }

    /** {@code source} decoded, resized to {@code width} (keeping the aspect) and written as a PNG. */
    static Path resizedPng(Path source, Path target, int width) {
        RgbImage img = ImageDecoder.read(source);
        int height = Math.max(1, (int) Math.round(img.height() * (double) width / img.width()));
        return png(buffered(Resize.bilinear(img, width, height), false), target);
    }

    static Path jpeg(BufferedImage img, Path target, float quality) {
        ImageWriter w = ImageIO.getImageWritersByFormatName("jpeg").next();
        try {
            Files.createDirectories(target.getParent());
            ImageWriteParam p = w.getDefaultWriteParam();
            p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            p.setCompressionQuality(quality);
            Files.deleteIfExists(target);
            try (ImageOutputStream out = ImageIO.createImageOutputStream(target.toFile())) {
                w.setOutput(out);
                w.write(null, new IIOImage(img, null, null), p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            w.dispose();
        }
        return target;
    }

    static Path png(BufferedImage img, Path target) {
        try {
            Files.createDirectories(target.getParent());
            ImageIO.write(img, "png", target.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return target;
    }

    /**
     * A picture with the coarse structure of a chest film: a bright frame, two dark lung fields
     * whose place and size the seed moves, and noise.
     */
    static RgbImage chest(int width, int height, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double lx = 0.25 + 0.1 * r.nextDouble();
        double rx = 0.65 + 0.1 * r.nextDouble();
        double ly = 0.45 + 0.1 * r.nextDouble();
        double rad = 0.14 + 0.08 * r.nextDouble();
        double tilt = r.nextDouble() - 0.5;
        byte[] px = new byte[width * height * 3];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double u = x / (double) width;
                double v = y / (double) height;
                double left = Math.hypot((u - lx) * 1.6, v - ly + tilt * (u - 0.5) * 0.3);
                double right = Math.hypot((u - rx) * 1.6, v - ly - tilt * (u - 0.5) * 0.3);
                double value = 200 - 40 * v + 30 * Math.sin(7 * u + 3 * tilt);
                if (left < rad || right < rad) {
                    value = 60 + 200 * Math.min(left, right);
                }
                int g = (int) Math.max(0, Math.min(255, value + r.nextInt(15)));
                int o = (y * width + x) * 3;
                px[o] = (byte) g;
                px[o + 1] = (byte) g;
                px[o + 2] = (byte) g;
            }
        }
        return new RgbImage(width, height, px);
    }
}
