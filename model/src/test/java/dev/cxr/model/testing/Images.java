package dev.cxr.model.testing;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;

/** Small image files for tests: random-noise PNGs and the broken files a dataset can hold. */
public final class Images {
    private Images() {}

    /** A PNG of random grey-ish noise (never all zero). */
    public static Path png(Path file, int width, int height, long seed) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        SplittableRandom r = new SplittableRandom(seed);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int v = 30 + r.nextInt(200);
                img.setRGB(x, y, (v << 16) | ((v + 10) << 8) | (v - 20));
            }
        }
        try {
            Files.createDirectories(file.getParent());
            ImageIO.write(img, "png", file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** A file of the given bytes (a zero-byte "image", a text file with an image extension). */
    public static Path bytes(Path file, byte[] content) {
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** The first {@code keep} bytes of a real JPEG of the bundled dataset: a truncated download. */
    public static Path truncatedJpeg(Path file, int keep) {
        try {
            byte[] all = Files.readAllBytes(Repo.bundledDataset().resolve("normal/person525_bacteria_2216.jpeg"));
            return bytes(file, Arrays.copyOf(all, keep));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
