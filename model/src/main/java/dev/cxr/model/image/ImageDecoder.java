package dev.cxr.model.image;

import com.twelvemonkeys.imageio.stream.ByteArrayImageInputStream;
import dev.cxr.engine.CxrException;
import dev.cxr.model.image.dicom.DicomImage;
import dev.cxr.model.image.dicom.DicomReader;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.stream.FileImageInputStream;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes a JPEG or PNG file to 8-bit RGB exactly as OpenCV's {@code cv2.imread(path)} then BGR to
 * RGB gives it (the tutorial's decoder): gray is replicated to three channels, alpha is dropped
 * without compositing, palettes are expanded, 16-bit samples keep their high byte ({@code v >> 8}),
 * 1/2/4-bit gray is stretched to 0..255, CMYK/YCCK JPEGs are turned into RGB with OpenCV's formula,
 * embedded ICC profiles are ignored, and the EXIF orientation (JPEG APP1, PNG eXIf) is applied.
 *
 * <p>Samples are read from the decoded raster, never through {@code BufferedImage.getRGB}, whose
 * colour management changes them. JPEGs go through the TwelveMonkeys reader, asked for the file's
 * own colour space so that it converts nothing: on the 50 X-rays of covid-xray-50 the result equals
 * OpenCV's (libjpeg-turbo) bit for bit.
 *
 * <p>The image size is read from the header first, and images over {@value #MAX_PIXELS} pixels are
 * refused before any pixel memory is allocated. Every failure is a {@link CxrException} with one
 * line naming the file.
 *
 * <p>DICOM files ({@code .dcm}, or any name with DICOM content) go to {@link DicomReader} and come
 * back as the 8-bit picture a radiology viewer shows of them ({@link DicomImage#render()}).
 */
public final class ImageDecoder {
    /**
     * The largest image accepted, in pixels: 100 megapixels (10000 x 10000), seven times the largest
     * X-ray in covid-xray-50 (4095 x 3342). Decoding one takes up to 800 MB (16-bit RGBA) plus the
     * 300 MB result; anything larger is far more likely a damaged or hostile header than an X-ray.
     */
    public static final long MAX_PIXELS = 100_000_000L;

    private static final String EMPTY = "empty file (0 bytes), not an image";

    private ImageDecoder() {}

    /**
     * Decodes an image file.
     *
     * @throws CxrException with one line naming the file and why it cannot be read
     */
    public static RgbImage read(Path file) {
        requireNonEmptyFile(file);
        if (isDicom(file)) {
            return DicomReader.read(file).render();
        }
        try (ImageInputStream in = new FileImageInputStream(file.toFile())) {
            return decode(file.toString(), in);
        } catch (IOException e) {
            throw new CxrException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Decodes an image held in memory (a Spark partition's file, an upload) exactly as {@link #read(Path)}
     * decodes the same bytes from a file: the same checks and the same one-line messages, each
     * starting with {@code name}. A name ending in {@code .dcm}, or DICOM content, goes to the DICOM reader.
     *
     * @throws CxrException with one line naming it and why it cannot be read
     */
    public static RgbImage read(String name, byte[] bytes) {
        if (bytes.length == 0) {
            throw new CxrException(name + ": " + EMPTY);
        }
        if (isDicom(name, bytes)) {
            return DicomReader.read(name, bytes).render();
        }
        try (ImageInputStream in = new ByteArrayImageInputStream(bytes)) {
            return decode(name, in);
        } catch (IOException e) {
            throw new CxrException(name + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    /** A {@code .dcm} file (whatever it holds: the name promises DICOM), or any file with DICOM content. */
    public static boolean isDicom(Path file) {
        return hasDicomName(file.getFileName().toString()) || DicomReader.isDicom(file);
    }

    /** {@link #isDicom(Path)} for bytes with a name. */
    public static boolean isDicom(String name, byte[] bytes) {
        return hasDicomName(name) || DicomReader.looksLikeDicom(bytes);
    }

    private static boolean hasDicomName(String name) {
        return name.toLowerCase(Locale.ROOT).endsWith(".dcm");
    }

    private static void requireNonEmptyFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new CxrException(file + ": " + (Files.exists(file) ? "not a file" : "file not found"));
        }
        try {
            if (Files.size(file) == 0) {
                throw new CxrException(file + ": " + EMPTY);
            }
        } catch (IOException e) {
            throw new CxrException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    /** A JPEG or PNG from its stream: the reader its content asks for, the header, then the pixels. */
    private static RgbImage decode(String name, ImageInputStream in) throws IOException {
        ImageReader reader = readerFor(name, in);
        try {
            String format = formatOf(reader);
            in.seek(0);
            ImageHeader header = ImageHeader.read(format, in);
            in.seek(0);
            reader.setInput(in, true, true);
            return decode(name, format, header, reader);
        } finally {
            reader.dispose();
        }
    }

    /** The reader for the file's content (not its extension): TwelveMonkeys for JPEG, the JDK's for PNG. */
    private static ImageReader readerFor(String name, ImageInputStream in) {
        List<ImageReader> candidates = new ArrayList<>();
        Iterator<ImageReader> it = ImageIO.getImageReaders(in);
        while (it.hasNext()) {
            candidates.add(it.next());
        }
        if (candidates.isEmpty()) {
            throw new CxrException(name + ": not an image cxr can read (the content is neither JPEG, PNG nor DICOM)");
        }
        String format = formatOf(candidates.get(0));
        if (!format.equals("jpeg") && !format.equals("png")) {
            throw new CxrException(name + ": a " + format.toUpperCase(Locale.ROOT)
                    + " image; cxr reads JPEG, PNG and DICOM (convert it first)");
        }
        ImageReader chosen = candidates.get(0);
        for (ImageReader r : candidates) {
            if (r.getClass().getName().startsWith("com.twelvemonkeys.")) {
                chosen = r;
                break;
            }
        }
        for (ImageReader r : candidates) {
            if (r != chosen) {
                r.dispose();
            }
        }
        return chosen;
    }

    private static String formatOf(ImageReader r) {
        try {
            String name = r.getFormatName().toLowerCase(Locale.ROOT);
            return name.equals("jpg") ? "jpeg" : name;
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static RgbImage decode(String name, String format, ImageHeader header, ImageReader reader) {
        boolean jpeg = format.equals("jpeg");
        List<String> warnings = new ArrayList<>();
        reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
        int w;
        int h;
        RgbImage rgb;
        try {
            w = reader.getWidth(0);
            h = reader.getHeight(0);
            if (w < 1 || h < 1) {
                throw new CxrException(name + ": the " + format + " header says " + w + "x" + h + " pixels");
            }
            if ((long) w * h > MAX_PIXELS) {
                throw new CxrException(
                        name + ": the " + format + " header says " + w + "x" + h + " pixels, over cxr's limit of "
                                + MAX_PIXELS / 1_000_000 + " megapixels (a damaged file, or downscale it first)");
            }
            ImageReadParam param = reader.getDefaultReadParam();
            ImageTypeSpecifier raw = reader.getRawImageType(0);
            if (jpeg && raw != null && raw.getColorModel().getColorSpace().getType() == ColorSpace.TYPE_CMYK) {
                // CMYK/YCCK: the raster as libjpeg stores it, converted OpenCV's way (no ICC)
                rgb = CmykToRgb.convert(reader.readRaster(0, param), header.adobeTransform() == ImageHeader.ADOBE_YCCK);
            } else {
                if (raw != null) {
                    param.setDestinationType(raw); // the file's own colour space: no ICC conversion
                }
                rgb = toRgb(name, reader.read(0, param));
            }
        } catch (CxrException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new CxrException(name + ": damaged or truncated " + format + " image (" + describe(e) + ")", e);
        }
        for (String warning : warnings) {
            String lower = warning.toLowerCase(Locale.ROOT);
            if (lower.contains("premature end") || lower.contains("corrupt") || lower.contains("truncat")) {
                throw new CxrException(name + ": damaged or truncated " + format + " image (" + warning.trim() + ")");
            }
        }
        return header.apply(rgb);
    }

    /** The decoded raster's samples as 8-bit RGB, OpenCV's way. */
    static RgbImage toRgb(String name, BufferedImage img) {
        Raster r = img.getRaster();
        ColorModel cm = img.getColorModel();
        int w = r.getWidth();
        int h = r.getHeight();
        int bands = r.getNumBands();
        byte[] px = new byte[Math.multiplyExact(Math.multiplyExact(w, h), 3)];
        int[] row = new int[w * bands];
        if (cm instanceof IndexColorModel palette) {
            for (int y = 0; y < h; y++) {
                r.getPixels(0, y, w, 1, row);
                for (int x = 0; x < w; x++) {
                    int i = row[x * bands];
                    int o = (y * w + x) * 3;
                    px[o] = (byte) palette.getRed(i);
                    px[o + 1] = (byte) palette.getGreen(i);
                    px[o + 2] = (byte) palette.getBlue(i);
                }
            }
            return new RgbImage(w, h, px);
        }
        int space = cm.getColorSpace().getType();
        int bits = r.getSampleModel().getSampleSize(0);
        if (bits > 16 || !(bits == 16 || bits == 8 || bits == 4 || bits == 2 || bits == 1)) {
            throw new CxrException(name + ": " + bits + "-bit samples are not supported (8- and 16-bit images are)");
        }
        boolean gray = space == ColorSpace.TYPE_GRAY && (bands == 1 || bands == 2);
        boolean rgb = space == ColorSpace.TYPE_RGB && (bands == 3 || bands == 4);
        if (!gray && !rgb) {
            throw new CxrException(name + ": unsupported colour layout (" + bands + " channels, colour space type "
                    + space + "); cxr reads gray, RGB, RGBA, palette and CMYK images");
        }
        for (int y = 0; y < h; y++) {
            r.getPixels(0, y, w, 1, row);
            for (int x = 0; x < w; x++) {
                int s = x * bands;
                int o = (y * w + x) * 3;
                if (gray) {
                    byte v = (byte) to8(row[s], bits);
                    px[o] = v;
                    px[o + 1] = v;
                    px[o + 2] = v;
                } else {
                    px[o] = (byte) to8(row[s], bits);
                    px[o + 1] = (byte) to8(row[s + 1], bits);
                    px[o + 2] = (byte) to8(row[s + 2], bits);
                }
            }
        }
        return new RgbImage(w, h, px);
    }

    /** One sample as 8 bits: libpng's strip-16 keeps the high byte; 1/2/4-bit gray is stretched. */
    private static int to8(int v, int bits) {
        switch (bits) {
            case 8:
                return v;
            case 16:
                return v >> 8;
            default:
                return v * 255 / ((1 << bits) - 1);
        }
    }

    private static String describe(Exception e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m.trim();
    }
}
