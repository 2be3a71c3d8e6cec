package dev.cxr.model.audit;

import dev.cxr.engine.CxrException;
import dev.cxr.model.data.Sample;
import dev.cxr.model.features.BytesSource;
import dev.cxr.model.features.InputImages;
import dev.cxr.model.image.RgbImage;
import java.awt.image.IndexColorModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.stream.ImageInputStream;

/**
 * Reads the {@link ImageFacts} of one image file: the SHA-256 of its bytes, its format from its first
 * bytes, channels and bit depth from its header (ImageIO, no pixels), then the pixels decoded from
 * those bytes through {@link InputImages#decode}, exactly as training reads them, for the colour
 * measures and the perceptual hash. A file that training would skip (unreadable, truncated, not an
 * image, under {@link InputImages#MIN_SIDE} pixels a side) fails here with the same one-line reason.
 */
public final class FileFacts {
    /**
     * Channels further apart than this, in 8-bit levels, make a pixel "coloured". In the bundled
     * dataset the RGB X-rays that show nothing coloured differ by JPEG chroma noise of at most 10
     * levels; the burned-in text of {@code ryct.2020200034.fig5-day7.jpeg} differs by up to 35 and the
     * red arrows of {@code radiol.2020200490.fig3.jpeg} by 255.
     */
    public static final int COLOURED_SPREAD = 24;

    /** Stored with one channel (or gray + alpha). */
    public static final String GRAY_FILE = "gray file";
    /** Stored as RGB, every pixel R = G = B. */
    public static final String RGB_GRAY = "RGB with R=G=B";
    /** Stored as RGB, channels differing only by compression noise. */
    public static final String RGB_NEAR_GRAY = "RGB, gray but for noise";
    /** Stored as RGB with coloured pixels. */
    public static final String RGB_COLOUR = "RGB with colour";

    /** The colour modes, from plainest to most coloured. */
    public static final java.util.List<String> COLOUR_MODES =
            java.util.List.of(GRAY_FILE, RGB_GRAY, RGB_NEAR_GRAY, RGB_COLOUR);

    private FileFacts() {}

    /**
     * @throws CxrException "path: reason" when the image cannot be used
     */
    public static ImageFacts read(Sample sample, String className) {
        Path file = sample.file();
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new CxrException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
        RgbImage img = InputImages.decode(new BytesSource(file.toString(), bytes));
        int[] layout = storedLayout(file);
        boolean gray = true;
        long coloured = 0;
        byte[] px = img.pixels();
        for (int o = 0; o < px.length; o += 3) {
            int r = px[o] & 0xff;
            int g = px[o + 1] & 0xff;
            int b = px[o + 2] & 0xff;
            int spread = Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b));
            if (spread != 0) {
                gray = false;
                if (spread > COLOURED_SPREAD) {
                    coloured++;
                }
            }
        }
        double share = coloured / (double) (px.length / 3);
        int channels = layout[0];
        String mode = channels <= 2 ? GRAY_FILE : gray ? RGB_GRAY : coloured == 0 ? RGB_NEAR_GRAY : RGB_COLOUR;
        return new ImageFacts(
                sample.relativePath(),
                className,
                sample.label(),
                bytes.length,
                sha256(bytes),
                format(bytes),
                channels,
                layout[1],
                img.width(),
                img.height(),
                gray,
                share,
                mode,
                PerceptualHash.hex(PerceptualHash.of(img)));
    }

    /** The container from its magic bytes. */
    static String format(byte[] b) {
        if (starts(b, 0xFF, 0xD8, 0xFF)) {
            return "JPEG";
        }
        if (starts(b, 0x89, 'P', 'N', 'G')) {
            return "PNG";
        }
        if (starts(b, 'B', 'M')) {
            return "BMP";
        }
        if (starts(b, 'I', 'I', 0x2A, 0) || starts(b, 'M', 'M', 0, 0x2A)) {
            return "TIFF";
        }
        if (starts(b, 'G', 'I', 'F', '8')) {
            return "GIF";
        }
        if (b.length >= 132 && b[128] == 'D' && b[129] == 'I' && b[130] == 'C' && b[131] == 'M') {
            return "DICOM";
        }
        return "unknown";
    }

    private static boolean starts(byte[] b, int... magic) {
        if (b.length < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if ((b[i] & 0xff) != magic[i]) {
                return false;
            }
        }
        return true;
    }

    /** {channels, bits per sample} as the header stores them; {3, 8} when no ImageIO reader says. */
    private static int[] storedLayout(Path file) {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            Iterator<ImageReader> it = in == null ? null : ImageIO.getImageReaders(in);
            if (it == null || !it.hasNext()) {
                return new int[] {3, 8};
            }
            ImageReader reader = it.next();
            try {
                reader.setInput(in, true, true);
                ImageTypeSpecifier raw = reader.getRawImageType(0);
                if (raw == null) {
                    Iterator<ImageTypeSpecifier> types = reader.getImageTypes(0);
                    raw = types.hasNext() ? types.next() : null;
                }
                if (raw == null) {
                    return new int[] {3, 8};
                }
                int bits = raw.getSampleModel().getSampleSize(0);
                if (raw.getColorModel() instanceof IndexColorModel) {
                    return new int[] {3, bits};
                }
                return new int[] {raw.getNumBands(), bits};
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            return new int[] {3, 8}; // the decode above already read the file; the header is only a detail
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
