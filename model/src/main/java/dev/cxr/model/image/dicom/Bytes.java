package dev.cxr.model.image.dicom;

/** Unsigned reads from a byte array in either byte order. Callers check the bounds first. */
final class Bytes {
    private Bytes() {}

    static int u8(byte[] b, int i) {
        return b[i] & 0xFF;
    }

    static int u16(byte[] b, int i, boolean bigEndian) {
        return bigEndian ? u8(b, i) << 8 | u8(b, i + 1) : u8(b, i) | u8(b, i + 1) << 8;
    }

    static long u32(byte[] b, int i, boolean bigEndian) {
        return bigEndian
                ? (long) u16(b, i, true) << 16 | u16(b, i + 2, true)
                : (long) u16(b, i + 2, false) << 16 | u16(b, i, false);
    }

    /** A tag: group then element, each a 16-bit number in the data set's byte order. */
    static int tag(byte[] b, int i, boolean bigEndian) {
        return u16(b, i, bigEndian) << 16 | u16(b, i + 2, bigEndian);
    }
}
