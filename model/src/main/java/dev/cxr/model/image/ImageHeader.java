package dev.cxr.model.image;

import com.twelvemonkeys.imageio.metadata.CompoundDirectory;
import com.twelvemonkeys.imageio.metadata.Directory;
import com.twelvemonkeys.imageio.metadata.Entry;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEG;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEGSegment;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEGSegmentUtil;
import com.twelvemonkeys.imageio.metadata.tiff.TIFF;
import com.twelvemonkeys.imageio.metadata.tiff.TIFFReader;
import com.twelvemonkeys.imageio.stream.ByteArrayImageInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.imageio.stream.ImageInputStream;

/**
 * What an image file's header says beyond the pixels: the EXIF orientation (tag 0x0112 in IFD0 of a
 * JPEG's APP1 "Exif" block, or of a PNG's eXIf chunk before the image data) and, for JPEG, the Adobe
 * APP14 colour transform (which tells CMYK from YCCK). {@link #apply} turns the decoded image the
 * way OpenCV's {@code imread} does: orientations 2 to 8 flip and/or transpose it so that it shows
 * upright; 1, a missing tag or an unreadable block change nothing.
 *
 * <p>TwelveMonkeys' imageio-metadata (there already with its JPEG reader) finds the JPEG segments
 * and reads the EXIF/TIFF structure; what is left here is the walk over a PNG's chunks (neither it
 * nor the JDK reads eXIf) and one byte of the Adobe segment.
 */
record ImageHeader(int orientation, int adobeTransform) {
    /** No Adobe APP14 marker. */
    static final int NO_ADOBE = -1;
    /** Adobe APP14 transform of a 4-channel JPEG stored as YCCK (0 is plain CMYK). */
    static final int ADOBE_YCCK = 2;
    /** The largest eXIf chunk read: the size of a JPEG's largest APP1 block, which is where EXIF comes from. */
    static final int MAX_EXIF_BYTES = 1 << 16;

    private static final ImageHeader PLAIN = new ImageHeader(1, NO_ADOBE);
    private static final byte[] EXIF_PREFIX = "Exif\0\0".getBytes(StandardCharsets.US_ASCII);
    /** In the APP14 data: "Adobe", version (2), flags0 (2), flags1 (2), then the transform. */
    private static final int ADOBE_TRANSFORM_AT = 11;

    /**
     * The header of a JPEG or PNG from its stream (at its start; left anywhere). A header that cannot
     * be read is a plain one: the decoder says what is wrong with the file.
     */
    static ImageHeader read(String format, ImageInputStream in) {
        try {
            return format.equals("jpeg") ? jpeg(in) : png(in);
        } catch (IOException | RuntimeException e) {
            return PLAIN;
        }
    }

    private static ImageHeader jpeg(ImageInputStream in) throws IOException {
        int orientation = 1;
        int adobe = NO_ADOBE;
        Map<Integer, List<String>> wanted = Map.of(JPEG.APP1, List.of("Exif"), JPEG.APP14, List.of("Adobe"));
        for (JPEGSegment segment : JPEGSegmentUtil.readSegments(in, wanted)) {
            byte[] data = segment.segmentData().readAllBytes(); // from the identifier on
            if (segment.marker() == JPEG.APP1 && orientation == 1 && data.length > EXIF_PREFIX.length) {
                orientation = orientationInTiff(data, EXIF_PREFIX.length, data.length - EXIF_PREFIX.length);
            } else if (segment.marker() == JPEG.APP14 && adobe == NO_ADOBE && data.length > ADOBE_TRANSFORM_AT) {
                adobe = data[ADOBE_TRANSFORM_AT] & 0xff;
            }
        }
        return new ImageHeader(orientation, adobe);
    }

    /** A PNG's chunks up to the image data: the eXIf chunk's orientation, if there is one. */
    private static ImageHeader png(ImageInputStream in) throws IOException {
        in.skipBytes(8); // signature
        while (true) {
            long length = in.readUnsignedInt();
            byte[] type = new byte[4];
            in.readFully(type);
            String name = new String(type, StandardCharsets.US_ASCII);
            if (name.equals("IDAT") || name.equals("IEND")) {
                return PLAIN;
            }
            if (name.equals("eXIf") && length <= MAX_EXIF_BYTES) {
                byte[] data = new byte[(int) length];
                in.readFully(data);
                // some writers keep JPEG's "Exif\0\0" prefix
                int skip = startsWith(data, EXIF_PREFIX) ? EXIF_PREFIX.length : 0;
                return new ImageHeader(orientationInTiff(data, skip, data.length - skip), NO_ADOBE);
            }
            in.seek(in.getStreamPosition() + length + 4); // data, CRC
        }
    }

    /** The orientation tag of IFD0 of the TIFF structure in {@code b[offset, offset + length)}; 1 if none. */
    private static int orientationInTiff(byte[] b, int offset, int length) throws IOException {
        Directory tiff = new TIFFReader().read(new ByteArrayImageInputStream(b, offset, length));
        Directory ifd0 =
                tiff instanceof CompoundDirectory c ? (c.directoryCount() > 0 ? c.getDirectory(0) : null) : tiff;
        Entry e = ifd0 == null ? null : ifd0.getEntryById(TIFF.TAG_ORIENTATION);
        if (e == null
                || !"SHORT".equals(e.getTypeName())
                || e.valueCount() != 1
                || !(e.getValue() instanceof Number n)) {
            return 1;
        }
        int v = n.intValue();
        return v >= 1 && v <= 8 ? v : 1;
    }

    private static boolean startsWith(byte[] b, byte[] prefix) {
        return b.length >= prefix.length && Arrays.equals(b, 0, prefix.length, prefix, 0, prefix.length);
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
}
