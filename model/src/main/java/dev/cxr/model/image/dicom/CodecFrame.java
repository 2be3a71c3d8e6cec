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
 * it, and 12-bit lossy JPEG, which neither decoder reads, is refused by name.
 */
final class CodecFrame {
    private CodecFrame() {
    }

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
        int siz = indexOf(frame, new byte[] {(byte) 0xFF, 0x4F, (byte) 0xFF, 0x51}, 4096);
        if (siz < 0) {
            throw new Refusal("damaged DICOM JPEG 2000 data: no codestream header (SOC, SIZ)");
        }
        int p = siz + 4; // Lsiz, Rsiz, Xsiz, Ysiz, XOsiz, YOsiz, XTsiz, YTsiz, XTOsiz, YTOsiz, Csiz
        if (frame.length < p + 38) {
            throw new Refusal("damaged DICOM JPEG 2000 data: the SIZ header is cut short");
        }
        long width = Bytes.u32(frame, p + 4, true) - Bytes.u32(frame, p + 12, true);
        long height = Bytes.u32(frame, p + 8, true) - Bytes.u32(frame, p + 16, true);
        int components = Bytes.u16(frame, p + 36, true);
        requireSize("JPEG 2000", width, height, components, pm);
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
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(frame))) {
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
            throw new Refusal("damaged DICOM " + kind + " data: decoded " + r.getWidth() + "x" + r.getHeight() + " with "
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
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m.trim().replace('\n', ' ');
    }
}
