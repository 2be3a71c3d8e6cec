package dev.cxr.model.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.twelvemonkeys.imageio.stream.ByteArrayImageInputStream;
import dev.cxr.engine.testing.Resources;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

/**
 * The header's orientation and Adobe transform from hand-made JPEG and PNG headers: what the
 * fixtures of ImageDecoderTest do not show (another byte order, a prefixed eXIf, tags that are not
 * a valid orientation), and that no damaged header is more than a plain one.
 */
class ImageHeaderTest {
    private static final Path IMAGES =
            Resources.path("images/opencv-decoded.h5").getParent();

    @Test
    void jpegExifInEitherByteOrder() throws IOException {
        for (boolean little : new boolean[] {false, true}) {
            byte[] jpeg = jpeg(app1(tiff(little, 0x0112, 3, 6)));
            assertEquals(6, header("jpeg", jpeg).orientation(), little ? "II" : "MM");
        }
    }

    @Test
    void whatIsNotAnOrientationChangesNothing() throws IOException {
        assertEquals(1, header("jpeg", jpeg(app1(tiff(false, 0x0112, 3, 9)))).orientation(), "out of range");
        assertEquals(1, header("jpeg", jpeg(app1(tiff(false, 0x0112, 4, 6)))).orientation(), "a LONG, not a SHORT");
        assertEquals(1, header("jpeg", jpeg(app1(tiff(false, 0x0110, 3, 6)))).orientation(), "another tag");
        byte[] badOrder = tiff(false, 0x0112, 3, 6);
        badOrder[0] = 'X';
        assertEquals(1, header("jpeg", jpeg(app1(badOrder))).orientation(), "no byte order mark");
        byte[] farIfd = tiff(false, 0x0112, 3, 6);
        farIfd[7] = 100;
        assertEquals(1, header("jpeg", jpeg(app1(farIfd))).orientation(), "IFD0 beyond the block");
    }

    @Test
    void adobeTransformTellsYcckFromCmyk() throws IOException {
        assertEquals(
                ImageHeader.ADOBE_YCCK,
                header("jpeg", Files.readAllBytes(IMAGES.resolve("jpeg-ycck.jpg")))
                        .adobeTransform());
        assertEquals(
                0,
                header("jpeg", Files.readAllBytes(IMAGES.resolve("jpeg-cmyk.jpg")))
                        .adobeTransform());
        assertEquals(
                ImageHeader.NO_ADOBE,
                header("jpeg", Files.readAllBytes(IMAGES.resolve("jpeg-gray.jpg")))
                        .adobeTransform());
    }

    @Test
    void pngExifWithOrWithoutJpegsPrefix() throws IOException {
        byte[] tiff = tiff(true, 0x0112, 3, 8);
        assertEquals(8, header("png", png(tiff)).orientation());
        byte[] prefixed = new byte[tiff.length + 6];
        System.arraycopy("Exif\0\0".getBytes(StandardCharsets.US_ASCII), 0, prefixed, 0, 6);
        System.arraycopy(tiff, 0, prefixed, 6, tiff.length);
        assertEquals(8, header("png", png(prefixed)).orientation());
    }

    /** Every fixture's header, cut short or with bytes changed at random, reads as some header. */
    @Test
    void damagedHeadersAreAtMostPlain() throws IOException {
        SplittableRandom r = new SplittableRandom(3);
        for (String name : new String[] {"jpeg-exif-orientation6.jpg", "jpeg-ycck.jpg", "png-exif-orientation6.png"}) {
            byte[] good = Files.readAllBytes(IMAGES.resolve(name));
            String format = name.startsWith("jpeg") ? "jpeg" : "png";
            for (int i = 0; i < 300; i++) {
                byte[] bad = Arrays.copyOf(good, 2 + r.nextInt(Math.min(good.length, 400)));
                for (int k = r.nextInt(4); k > 0; k--) {
                    bad[r.nextInt(bad.length)] = (byte) r.nextInt(256);
                }
                ImageHeader h = header(format, bad);
                assertEquals(true, h.orientation() >= 1 && h.orientation() <= 8, name + ": " + h);
            }
        }
    }

    private static ImageHeader header(String format, byte[] bytes) {
        return ImageHeader.read(format, new ByteArrayImageInputStream(bytes));
    }

    /** A TIFF structure with one IFD0 entry: tag, type (3 SHORT, 4 LONG), value. */
    private static byte[] tiff(boolean little, int tag, int type, int value) {
        byte[] b = new byte[8 + 2 + 12 + 4];
        b[0] = b[1] = (byte) (little ? 'I' : 'M');
        put16(b, 2, 42, little);
        put32(b, 4, 8, little);
        put16(b, 8, 1, little);
        put16(b, 10, tag, little);
        put16(b, 12, type, little);
        put32(b, 14, 1, little);
        if (type == 3) {
            put16(b, 18, value, little);
        } else {
            put32(b, 18, value, little);
        }
        return b; // next IFD offset 0
    }

    private static void put16(byte[] b, int at, int v, boolean little) {
        b[at + (little ? 0 : 1)] = (byte) v;
        b[at + (little ? 1 : 0)] = (byte) (v >> 8);
    }

    private static void put32(byte[] b, int at, int v, boolean little) {
        put16(b, at + (little ? 0 : 2), v & 0xffff, little);
        put16(b, at + (little ? 2 : 0), v >>> 16, little);
    }

    private static byte[] app1(byte[] tiff) {
        byte[] d = new byte[6 + tiff.length];
        System.arraycopy("Exif\0\0".getBytes(StandardCharsets.US_ASCII), 0, d, 0, 6);
        System.arraycopy(tiff, 0, d, 6, tiff.length);
        return d;
    }

    /** SOI, an APP1 segment with {@code data}, then the start of a scan (where a header ends). */
    private static byte[] jpeg(byte[] app1) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeShort(0xFFD8);
        out.writeShort(0xFFE1);
        out.writeShort(app1.length + 2);
        out.write(app1);
        out.writeShort(0xFFDA);
        out.writeShort(8);
        out.write(new byte[6]);
        return bytes.toByteArray();
    }

    /** A PNG signature, an eXIf chunk with {@code exif}, and the start of IDAT. */
    private static byte[] png(byte[] exif) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        chunk(out, "eXIf", exif);
        chunk(out, "IDAT", new byte[] {1, 2, 3});
        return bytes.toByteArray();
    }

    private static void chunk(DataOutputStream out, String type, byte[] data) throws IOException {
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.writeInt(data.length);
        out.write(t);
        out.write(data);
        out.writeInt((int) crc.getValue());
    }
}
