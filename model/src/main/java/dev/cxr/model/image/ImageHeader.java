package dev.cxr.model.image;

import java.io.IOException;
import java.util.Arrays;
import javax.imageio.stream.ImageInputStream;

/**
 * What an image file's header says beyond the pixels: the EXIF orientation (tag 0x0112 in IFD0 of a
 * JPEG's APP1 "Exif" block, or of a PNG's eXIf chunk before the image data) and, for JPEG, the Adobe
 * APP14 colour transform (which tells CMYK from YCCK). {@link #apply} turns the decoded image the
 * way OpenCV's {@code imread} does: orientations 2 to 8 flip and/or transpose it so that it shows
 * upright; 1, a missing tag or an unreadable block change nothing.
 */
record ImageHeader(int orientation, int adobeTransform) {
    /** How much of the file's start to scan: the APP1 block comes first and is at most 64 KB. */
    static final int HEADER_BYTES = 1 << 17;

    private static final int TAG_ORIENTATION = 0x0112;
    private static final int TYPE_SHORT = 3;

    /** No Adobe APP14 marker. */
    static final int NO_ADOBE = -1;
    /** Adobe APP14 transform of a 4-channel JPEG stored as YCCK (0 is plain CMYK). */
    static final int ADOBE_YCCK = 2;

    /** The header of a JPEG or PNG from the start of its stream (the stream is left anywhere). */
    static ImageHeader read(String format, ImageInputStream in) throws IOException {
        byte[] head = new byte[HEADER_BYTES];
        int n = 0;
        for (int r; n < head.length && (r = in.read(head, n, head.length - n)) > 0; ) {
            n += r;
        }
        head = Arrays.copyOf(head, n);
        return format.equals("jpeg") ? parseJpeg(head) : parsePng(head);
    }

    /** The header of a PNG from its first bytes: the eXIf chunk's orientation, if one comes before IDAT. */
    static ImageHeader parsePng(byte[] b) {
        int i = 8; // signature
        while (i + 8 <= b.length) {
            long length = u32(b, i, false);
            String type = new String(b, i + 4, 4, java.nio.charset.StandardCharsets.US_ASCII);
            if (type.equals("IDAT") || type.equals("IEND") || length > b.length) {
                break;
            }
            if (type.equals("eXIf") && i + 8 + length <= b.length) {
                int start = length >= 6 && isExif(b, i + 8) ? i + 14 : i + 8; // some writers keep JPEG's prefix
                return new ImageHeader(orientationInTiff(b, start, (int) (i + 8 + length)), NO_ADOBE);
            }
            i += 12 + (int) length; // length, type, data, CRC
        }
        return new ImageHeader(1, NO_ADOBE);
    }

    /** The header of a JPEG from its first bytes; defaults (1, {@link #NO_ADOBE}) for what is absent. */
    static ImageHeader parseJpeg(byte[] b) {
        int orientation = 1;
        int adobe = NO_ADOBE;
        if (b.length < 4 || u8(b, 0) != 0xFF || u8(b, 1) != 0xD8) {
            return new ImageHeader(orientation, adobe);
        }
        int i = 2;
        while (i + 4 <= b.length) {
            if (u8(b, i) != 0xFF) {
                break;
            }
            int marker = u8(b, i + 1);
            if (marker == 0xFF) {
                i++; // fill byte
                continue;
            }
            if (marker == 0xDA || marker == 0xD9) {
                break; // start of scan or end of image: the header is over
            }
            if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
                i += 2;
                continue;
            }
            int length = u16(b, i + 2, false);
            int start = i + 4;
            if (marker == 0xE1 && orientation == 1 && length >= 8 && start + 6 <= b.length && isExif(b, start)) {
                orientation = orientationInTiff(b, start + 6, Math.min(b.length, i + 2 + length));
            }
            if (marker == 0xEE && length >= 14 && start + 12 <= b.length && isAdobe(b, start)) {
                adobe = u8(b, start + 11);
            }
            i += 2 + length;
        }
        return new ImageHeader(orientation, adobe);
    }

    private static boolean isAdobe(byte[] b, int at) {
        return b[at] == 'A' && b[at + 1] == 'd' && b[at + 2] == 'o' && b[at + 3] == 'b' && b[at + 4] == 'e';
    }

    private static boolean isExif(byte[] b, int at) {
        return b[at] == 'E' && b[at + 1] == 'x' && b[at + 2] == 'i' && b[at + 3] == 'f' && b[at + 4] == 0 && b[at + 5] == 0;
    }

    /** Reads IFD0 of the TIFF structure at {@code t} (ending before {@code end}) for the orientation tag. */
    private static int orientationInTiff(byte[] b, int t, int end) {
        if (t + 8 > end) {
            return 1;
        }
        boolean little;
        if (b[t] == 'I' && b[t + 1] == 'I') {
            little = true;
        } else if (b[t] == 'M' && b[t + 1] == 'M') {
            little = false;
        } else {
            return 1;
        }
        if (u16(b, t + 2, little) != 42) {
            return 1;
        }
        long ifd = u32(b, t + 4, little);
        if (ifd < 8 || t + ifd + 2 > end) {
            return 1;
        }
        int p = (int) (t + ifd);
        int entries = u16(b, p, little);
        for (int e = 0; e < entries; e++) {
            int q = p + 2 + e * 12;
            if (q + 12 > end) {
                return 1;
            }
            if (u16(b, q, little) == TAG_ORIENTATION && u16(b, q + 2, little) == TYPE_SHORT) {
                int v = u16(b, q + 8, little);
                return v >= 1 && v <= 8 ? v : 1;
            }
        }
        return 1;
    }

    /** The image as OpenCV's ApplyExifOrientation leaves it for this header's orientation. */
    RgbImage apply(RgbImage img) {
        switch (orientation) {
            case 2:
                return flip(img, true, false);
            case 3:
                return flip(img, true, true);
            case 4:
                return flip(img, false, true);
            case 5:
                return transpose(img);
            case 6:
                return flip(transpose(img), true, false);
            case 7:
                return flip(transpose(img), true, true);
            case 8:
                return flip(transpose(img), false, true);
            default:
                return img;
        }
    }

    private static RgbImage flip(RgbImage img, boolean horizontal, boolean vertical) {
        int w = img.width();
        int h = img.height();
        byte[] src = img.pixels();
        byte[] dst = new byte[src.length];
        for (int y = 0; y < h; y++) {
            int sy = vertical ? h - 1 - y : y;
            for (int x = 0; x < w; x++) {
                int sx = horizontal ? w - 1 - x : x;
                System.arraycopy(src, (sy * w + sx) * 3, dst, (y * w + x) * 3, 3);
            }
        }
        return new RgbImage(w, h, dst);
    }

    private static RgbImage transpose(RgbImage img) {
        int w = img.width();
        int h = img.height();
        byte[] src = img.pixels();
        byte[] dst = new byte[src.length];
        for (int y = 0; y < w; y++) {
            for (int x = 0; x < h; x++) {
                System.arraycopy(src, (x * w + y) * 3, dst, (y * h + x) * 3, 3);
            }
        }
        return new RgbImage(h, w, dst);
    }

    private static int u8(byte[] b, int i) {
        return b[i] & 0xff;
    }

    private static int u16(byte[] b, int i, boolean little) {
        return little ? u8(b, i) | u8(b, i + 1) << 8 : u8(b, i) << 8 | u8(b, i + 1);
    }

    private static long u32(byte[] b, int i, boolean little) {
        return little
                ? (u16(b, i, true) | (long) u16(b, i + 2, true) << 16)
                : ((long) u16(b, i, false) << 16 | u16(b, i + 2, false));
    }
}
