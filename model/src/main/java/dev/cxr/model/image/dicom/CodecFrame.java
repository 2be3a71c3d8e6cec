package dev.cxr.model.image.dicom;

import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * A compressed frame decoded by an ImageIO plugin: JPEG (baseline, 8-bit extended, lossless process
 * 14) by TwelveMonkeys' reader, JPEG 2000 by jai-imageio's. The stream's own header is read first, so
 * that a frame whose size disagrees with Rows and Columns is refused before the decoder allocates by
 * it, and 12-bit lossy JPEG, which neither decoder reads, is refused by name. JPEG 2000 streams are
 * checked first ({@link Jpeg2000Codestream}) and read through a {@link FrameInputStream}, so that
 * damaged ones end in a refusal rather than in a decoder that never returns.
 */
final class CodecFrame {
    private CodecFrame() {}

    /** The frame's sample values, row-major, colour interleaved as RGB (the codecs convert YCbCr themselves). */
    static int[] jpeg(byte[] frame, PixelModule pm) {
        JpegHeader h = JpegHeader.parse(frame);
        if (h.lossy() && h.precision() > 8) {
            throw new Refusal("unsupported DICOM pixel data: 12-bit lossy JPEG (" + h.precision()
                    + "-bit, JPEG Extended process 4): no decoder in cxr reads it");
        }
        requireSize("JPEG", h.width(), h.height(), h.components(), pm);
        return decode(frame, "jpeg", "JPEG", pm, true);
    }

    static int[] jpeg2000(byte[] frame, PixelModule pm) {
        Jpeg2000Codestream c = Jpeg2000Codestream.check(frame);
        requireSize("JPEG 2000", c.width(), c.height(), c.components(), pm);
        return decode(frame, "jpeg2000", "JPEG 2000", pm, false);
    }

    private static void requireSize(String kind, long width, long height, int components, PixelModule pm) {
        if (width != pm.columns() || height != pm.rows() || components != pm.samples()) {
            throw new Refusal("damaged DICOM pixel data: the " + kind + " stream is " + width + "x" + height + " with "
                    + components + " components, the data set says " + pm.columns() + "x" + pm.rows() + " with "
                    + pm.samples());
        }
    }

    private static int[] decode(byte[] frame, String format, String kind, PixelModule pm, boolean jpeg) {
        ImageReader reader = readerFor(format, kind);
        List<String> warnings = new ArrayList<>();
        Raster r;
        try (ImageInputStream in =
                jpeg ? new MemoryCacheImageInputStream(new ByteArrayInputStream(frame)) : new FrameInputStream(frame)) {
            reader.setInput(in, true, true);
            reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
            if (jpeg) {
                // the file's own colour space, as ImageDecoder does: YCbCr becomes RGB, nothing else changes
                ImageReadParam param = reader.getDefaultReadParam();
                ImageTypeSpecifier raw = reader.getRawImageType(0);
                if (raw != null) {
                    param.setDestinationType(raw);
                }
                r = reader.read(0, param).getRaster();
            } else {
                r = reader.readRaster(0, null);
            }
        } catch (IOException | RuntimeException e) {
            throw new Refusal("damaged DICOM " + kind + " data (" + describe(e) + ")");
        } catch (OutOfMemoryError e) {
            throw e;
        } catch (Error e) {
            // JJ2000 reports some damaged streams with Errors (NotImplementedError: "Tile length larger than
            // maximum supported"); they concern the data, not the JVM
            throw new Refusal("damaged DICOM " + kind + " data (" + describe(e) + ")");
        } finally {
            reader.dispose();
        }
        for (String warning : warnings) {
            String lower = warning.toLowerCase(Locale.ROOT);
            if (lower.contains("premature end") || lower.contains("corrupt") || lower.contains("truncat")) {
                throw new Refusal("damaged DICOM " + kind + " data (" + warning.trim() + ")");
            }
        }
        if (r.getWidth() != pm.columns() || r.getHeight() != pm.rows() || r.getNumBands() != pm.samples()) {
            throw new Refusal(
                    "damaged DICOM " + kind + " data: decoded " + r.getWidth() + "x" + r.getHeight() + " with "
                            + r.getNumBands() + " bands, the data set says " + pm.columns() + "x" + pm.rows() + " with "
                            + pm.samples());
        }
        return r.getPixels(r.getMinX(), r.getMinY(), r.getWidth(), r.getHeight(), (int[]) null);
    }

    /** TwelveMonkeys' JPEG reader (not the JDK's, which stops at lossless), or the JPEG 2000 one. */
    private static ImageReader readerFor(String format, String kind) {
        ImageReader chosen = null;
        Iterator<ImageReader> it = ImageIO.getImageReadersByFormatName(format);
        while (it.hasNext()) {
            ImageReader r = it.next();
            boolean wanted = !format.equals("jpeg") || r.getClass().getName().startsWith("com.twelvemonkeys.");
            if (chosen == null && wanted) {
                chosen = r;
            } else {
                r.dispose();
            }
        }
        if (chosen == null) {
            throw new Refusal("no " + kind + " decoder is on the class path (a build without "
                    + (format.equals("jpeg") ? "TwelveMonkeys imageio-jpeg" : "jai-imageio-jpeg2000") + ")");
        }
        return chosen;
    }

    static int indexOf(byte[] b, byte[] needle, int within) {
        int last = Math.min(b.length - needle.length, within);
        outer:
        for (int i = 0; i <= last; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (b[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank()
                ? e.getClass().getSimpleName()
                : m.trim().replace('\n', ' ');
    }
}
