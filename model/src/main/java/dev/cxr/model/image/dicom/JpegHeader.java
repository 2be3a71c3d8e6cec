package dev.cxr.model.image.dicom;

/**
 * The frame header (SOFn) of a JPEG stream: process, precision, size and component count, read by
 * walking the marker segments from SOI.
 */
record JpegHeader(int marker, int precision, int width, int height, int components) {
    /** Whether the process is lossy (DCT); lossless is SOF3, SOF7, SOF11 and SOF15. */
    boolean lossy() {
        return (marker & 0x03) != 0x03;
    }

    static JpegHeader parse(byte[] b) {
        if (b.length < 4 || Bytes.u8(b, 0) != 0xFF || Bytes.u8(b, 1) != 0xD8) {
            throw new Refusal("damaged DICOM JPEG data: the frame does not start with a JPEG SOI marker");
        }
        int p = 2;
        while (p + 4 <= b.length) {
            if (Bytes.u8(b, p) != 0xFF) {
                throw new Refusal("damaged DICOM JPEG data: no marker at byte " + p + " of the frame");
            }
            int marker = Bytes.u8(b, p + 1);
            if (marker == 0xFF) {
                p++; // fill byte
                continue;
            }
            if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
                p += 2;
                continue;
            }
            if (marker == 0xD9 || marker == 0xDA) {
                break;
            }
            int length = Bytes.u16(b, p + 2, true);
            if (length < 2) {
                throw new Refusal("damaged DICOM JPEG data: a marker segment of length " + length);
            }
            boolean sof = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
            if (sof) {
                if (length < 8 || p + 10 > b.length) {
                    break;
                }
                return new JpegHeader(
                        marker,
                        Bytes.u8(b, p + 4),
                        Bytes.u16(b, p + 7, true),
                        Bytes.u16(b, p + 5, true),
                        Bytes.u8(b, p + 9));
            }
            p += 2 + length;
        }
        throw new Refusal("damaged DICOM JPEG data: no frame header (SOF) before the scan");
    }
}
