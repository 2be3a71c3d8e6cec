package dev.cxr.model.image.dicom;

/**
 * The structure of a JPEG 2000 codestream (ISO 15444-1 Annex A), checked before it reaches the
 * decoder: the image size from SIZ, and every tile-part (SOT ... SOD, then its data) within the
 * stream. JJ2000 never returns on some damaged streams (two FF bytes in a packet header make its bit
 * reader return 1 bits forever) and prints a stack trace on others (a tile-part cut short); both are
 * refused here first. In the data after SOD a byte FF is never followed by one of 90 or more, except
 * the SOP and EPH markers (FF91, FF92): the coder stuffs a bit after every FF.
 */
record Jpeg2000Codestream(long width, long height, int components) {
    private static final int SOC = 0xFF4F;
    private static final int SIZ = 0xFF51;
    private static final int SOT = 0xFF90;
    private static final int SOP = 0xFF91;
    private static final int EPH = 0xFF92;
    private static final int SOD = 0xFF93;
    private static final int EOC = 0xFFD9;

    /** Reads SIZ and checks the tile-parts; {@code b} holds the codestream, or a JP2 file around one. */
    static Jpeg2000Codestream check(byte[] b) {
        int soc = CodecFrame.indexOf(b, new byte[] {(byte) 0xFF, 0x4F, (byte) 0xFF, 0x51}, 4096);
        if (soc < 0) {
            throw damaged("no codestream header (SOC, SIZ)");
        }
        int p = soc + 4; // Lsiz, Rsiz, Xsiz, Ysiz, XOsiz, YOsiz, XTsiz, YTsiz, XTOsiz, YTOsiz, Csiz
        if (b.length < p + 38) {
            throw damaged("the SIZ header is cut short");
        }
        long width = Bytes.u32(b, p + 4, true) - Bytes.u32(b, p + 12, true);
        long height = Bytes.u32(b, p + 8, true) - Bytes.u32(b, p + 16, true);
        int components = Bytes.u16(b, p + 36, true);
        requireTileParts(b, soc);
        return new Jpeg2000Codestream(width, height, components);
    }

    private static void requireTileParts(byte[] b, int soc) {
        int p = soc + 2;
        while (true) { // the main header's marker segments, up to the first SOT
            int marker = marker(b, p, "main header");
            if (marker == SOT) {
                break;
            }
            p = skipSegment(b, p, marker);
        }
        int tilePart = 0;
        while (p + 2 <= b.length) {
            int marker = Bytes.u16(b, p, true);
            if (marker == EOC) {
                return;
            }
            if (marker != SOT) {
                throw damaged("no tile-part (SOT) at byte " + (p - soc) + " of the codestream");
            }
            if (p + 12 > b.length) {
                throw damaged("tile-part " + tilePart + " is cut short");
            }
            long psot = Bytes.u32(b, p + 6, true);
            long end = psot == 0 ? b.length : p + psot; // 0: the last tile-part, up to EOC
            if (psot != 0 && (psot < 14 || end > b.length)) {
                throw damaged("tile-part " + tilePart + " claims " + psot + " bytes, " + (b.length - p) + " are left");
            }
            int q = p;
            while (true) { // the tile-part header, up to SOD
                int m = marker(b, q, "tile-part header");
                if (m == SOD) {
                    break;
                }
                q = skipSegment(b, q, m);
                if (q >= end) {
                    throw damaged("tile-part " + tilePart + " has no start of data (SOD)");
                }
            }
            int dataEnd = (int) end;
            if (psot == 0 && dataEnd - 2 >= q + 2 && Bytes.u16(b, dataEnd - 2, true) == EOC) {
                dataEnd -= 2;
            }
            for (int i = q + 2; i + 1 < dataEnd; i++) {
                if ((b[i] & 0xFF) == 0xFF && (b[i + 1] & 0xFF) >= 0x90) {
                    int m = 0xFF00 | (b[i + 1] & 0xFF);
                    if (m != SOP && m != EPH) {
                        throw damaged("tile-part " + tilePart + " has FF" + String.format("%02X", b[i + 1] & 0xFF)
                                + " inside its data");
                    }
                }
            }
            p = (int) end;
            tilePart++;
        }
        if (p != b.length) {
            throw damaged("the codestream ends inside tile-part " + tilePart);
        }
    }

    private static int marker(byte[] b, int p, String where) {
        if (p + 2 > b.length) {
            throw damaged("the codestream ends inside the " + where);
        }
        int m = Bytes.u16(b, p, true);
        if ((m & 0xFF00) != 0xFF00) {
            throw damaged("no marker at byte " + p + " of the " + where);
        }
        return m;
    }

    /** The position after a marker segment (marker, 16-bit length counting itself, content). */
    private static int skipSegment(byte[] b, int p, int marker) {
        if (marker == SOC || marker == EOC || marker == SOD) {
            throw damaged(String.format("marker FF%02X inside a header", marker & 0xFF));
        }
        if (p + 4 > b.length) {
            throw damaged("the codestream ends inside a header");
        }
        int length = Bytes.u16(b, p + 2, true);
        if (length < 2 || p + 2 + length > b.length) {
            throw damaged(String.format("marker segment FF%02X claims %d bytes", marker & 0xFF, length));
        }
        return p + 2 + length;
    }

    private static Refusal damaged(String what) {
        return new Refusal("damaged DICOM JPEG 2000 data: " + what);
    }
}
