package dev.cxr.model.image.dicom;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Writes DICOM data sets byte by byte for the reader's edge-case tests: elements in explicit or
 * implicit VR, either byte order, sequences and items of defined or undefined length, encapsulated
 * pixel data, and a Part 10 wrapper (preamble, DICM, File Meta). Nothing is padded or checked unless
 * asked: tests write odd lengths and broken files on purpose.
 */
final class DicomBytes {
    static final int UNDEFINED = -1;
    private static final Set<String> LONG_VRS =
            Set.of("OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN", "UR", "UT", "UV");

    final boolean explicit;
    final boolean big;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    DicomBytes(boolean explicit, boolean big) {
        this.explicit = explicit;
        this.big = big;
    }

    static DicomBytes explicitLittle() {
        return new DicomBytes(true, false);
    }

    static DicomBytes implicitLittle() {
        return new DicomBytes(false, false);
    }

    static DicomBytes explicitBig() {
        return new DicomBytes(true, true);
    }

    /** An empty data set in the same encoding (for sequence items). */
    DicomBytes item() {
        return new DicomBytes(explicit, big);
    }

    byte[] bytes() {
        return out.toByteArray();
    }

    int size() {
        return out.size();
    }

    /** An element header: tag, VR when explicit, then a 16- or 32-bit length ({@link #UNDEFINED} is FFFFFFFF). */
    DicomBytes header(int tag, String vr, long length) {
        u16(tag >>> 16);
        u16(tag & 0xFFFF);
        if (explicit && (tag >>> 16) != 0xFFFE) {
            out.write(vr.charAt(0));
            out.write(vr.charAt(1));
            if (LONG_VRS.contains(vr)) {
                u16(0);
                u32(length);
            } else {
                u16((int) length);
            }
        } else {
            u32(length);
        }
        return this;
    }

    /** An element with the value as given (odd lengths stay odd). */
    DicomBytes raw(int tag, String vr, byte[] value) {
        header(tag, vr, value.length);
        out.writeBytes(value);
        return this;
    }

    /** A text element, padded to even length with a space (UI: a NUL), as writers do. */
    DicomBytes text(int tag, String vr, String value) {
        byte[] v = value.getBytes(StandardCharsets.US_ASCII);
        if (v.length % 2 == 1) {
            byte[] padded = new byte[v.length + 1];
            System.arraycopy(v, 0, padded, 0, v.length);
            padded[v.length] = (byte) (vr.equals("UI") ? 0 : ' ');
            v = padded;
        }
        return raw(tag, vr, v);
    }

    DicomBytes us(int tag, int... values) {
        return raw(tag, "US", words(values));
    }

    /** 16-bit words in this data set's byte order. */
    byte[] words(int... values) {
        byte[] v = new byte[values.length * 2];
        for (int i = 0; i < values.length; i++) {
            int hi = values[i] >>> 8 & 0xFF;
            int lo = values[i] & 0xFF;
            v[2 * i] = (byte) (big ? hi : lo);
            v[2 * i + 1] = (byte) (big ? lo : hi);
        }
        return v;
    }

    /** A sequence; {@code length} is {@link #UNDEFINED} or anything else for the defined (true) length. */
    DicomBytes sequence(int tag, boolean undefinedSequence, boolean undefinedItems, DicomBytes... items) {
        DicomBytes body = item();
        for (DicomBytes i : items) {
            byte[] content = i.bytes();
            body.header(Tags.ITEM, "", undefinedItems ? UNDEFINED : content.length);
            body.out.writeBytes(content);
            if (undefinedItems) {
                body.header(Tags.ITEM_DELIMITATION, "", 0);
            }
        }
        byte[] content = body.bytes();
        header(tag, "SQ", undefinedSequence ? UNDEFINED : content.length);
        out.writeBytes(content);
        if (undefinedSequence) {
            header(Tags.SEQUENCE_DELIMITATION, "", 0);
        }
        return this;
    }

    /** Encapsulated pixel data: an empty Basic Offset Table, the fragments, the sequence delimiter. */
    DicomBytes encapsulated(byte[]... fragments) {
        header(Tags.PIXEL_DATA, "OB", UNDEFINED);
        header(Tags.ITEM, "", 0);
        for (byte[] f : fragments) {
            header(Tags.ITEM, "", f.length);
            out.writeBytes(f);
        }
        header(Tags.SEQUENCE_DELIMITATION, "", 0);
        return this;
    }

    /** The Image Pixel attributes of a single-frame image. */
    DicomBytes pixelModule(
            int rows,
            int columns,
            int samples,
            String photometric,
            int bitsAllocated,
            int bitsStored,
            int pixelRepresentation) {
        us(Tags.SAMPLES_PER_PIXEL, samples);
        text(Tags.PHOTOMETRIC_INTERPRETATION, "CS", photometric);
        us(Tags.ROWS, rows);
        us(Tags.COLUMNS, columns);
        us(Tags.BITS_ALLOCATED, bitsAllocated);
        us(Tags.BITS_STORED, bitsStored);
        us(0x0028_0102, bitsStored - 1);
        us(Tags.PIXEL_REPRESENTATION, pixelRepresentation);
        return this;
    }

    DicomBytes bytes(byte[] b) {
        out.writeBytes(b);
        return this;
    }

    private void u16(int v) {
        if (big) {
            out.write(v >>> 8 & 0xFF);
            out.write(v & 0xFF);
        } else {
            out.write(v & 0xFF);
            out.write(v >>> 8 & 0xFF);
        }
    }

    private void u32(long v) {
        if (big) {
            u16((int) (v >>> 16 & 0xFFFF));
            u16((int) (v & 0xFFFF));
        } else {
            u16((int) (v & 0xFFFF));
            u16((int) (v >>> 16 & 0xFFFF));
        }
    }

    /** A Part 10 file: 128-byte preamble, DICM, File Meta (Explicit VR LE) naming the syntax, then the data set. */
    static byte[] part10(String transferSyntaxUid, byte[] dataSet) {
        DicomBytes meta = explicitLittle();
        meta.raw(0x0002_0001, "OB", new byte[] {0, 1});
        meta.text(0x0002_0002, "UI", "1.2.840.10008.5.1.4.1.1.7");
        meta.text(0x0002_0003, "UI", "1.2.3.4");
        meta.text(Tags.TRANSFER_SYNTAX_UID, "UI", transferSyntaxUid);
        byte[] group = meta.bytes();
        DicomBytes file = explicitLittle();
        file.bytes(new byte[128]).bytes("DICM".getBytes(StandardCharsets.US_ASCII));
        file.raw(0x0002_0000, "UL", new byte[] {(byte) group.length, (byte) (group.length >>> 8), 0, 0});
        file.bytes(group).bytes(dataSet);
        return file.bytes();
    }
}
