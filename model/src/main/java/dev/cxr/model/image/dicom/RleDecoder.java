package dev.cxr.model.image.dicom;

/**
 * DICOM RLE Lossless (PS3.5 Annex G): a 64-byte header (the number of segments and up to 15 offsets,
 * little endian), then one PackBits segment per byte plane: for 16-bit samples the high bytes, then
 * the low bytes; for colour the R (or Y) plane, then G, then B. A control byte n in 0..127 copies
 * the next n + 1 bytes, -127..-1 repeats the next byte 1 - n times, and -128 does nothing.
 */
final class RleDecoder {
    private static final int HEADER = 64;

    private RleDecoder() {}

    /** The frame's raw sample values, row-major, colour interleaved; grayscale not yet cut to Bits Stored. */
    static int[] decode(byte[] frame, PixelModule pm) {
        int n = pm.rows() * pm.columns();
        int bytesPerSample = pm.bitsAllocated() / 8;
        int expected = pm.samples() * bytesPerSample;
        if (frame.length < HEADER) {
            throw new Refusal("damaged DICOM RLE data: " + frame.length + " bytes, shorter than the 64-byte header");
        }
        long segments = Bytes.u32(frame, 0, false);
        if (segments != expected) {
            throw new Refusal("damaged DICOM RLE data: " + segments + " segments where " + expected + " belong");
        }
        long[] offsets = new long[expected + 1];
        for (int s = 0; s < expected; s++) {
            offsets[s] = Bytes.u32(frame, 4 + 4 * s, false);
        }
        offsets[expected] = frame.length;
        if (offsets[0] != HEADER) {
            throw new Refusal("damaged DICOM RLE data: the first segment starts at " + offsets[0] + ", not 64");
        }
        for (int s = 1; s < expected; s++) {
            if (offsets[s] < offsets[s - 1] || offsets[s] > frame.length) {
                throw new Refusal("damaged DICOM RLE data: segment " + (s + 1) + " starts at " + offsets[s]
                        + ", outside the " + frame.length + " bytes after segment " + s);
            }
        }
        byte[][] planes = new byte[expected][];
        for (int s = 0; s < expected; s++) {
            planes[s] = unpack(frame, (int) offsets[s], (int) offsets[s + 1], n, s + 1);
        }
        int[] v = new int[n * pm.samples()];
        if (pm.samples() == 1) {
            for (int i = 0; i < n; i++) {
                v[i] = bytesPerSample == 2 ? (planes[0][i] & 0xFF) << 8 | (planes[1][i] & 0xFF) : planes[0][i] & 0xFF;
            }
        } else {
            for (int i = 0; i < n; i++) {
                for (int c = 0; c < 3; c++) {
                    v[i * 3 + c] = planes[c][i] & 0xFF;
                }
            }
        }
        return v;
    }

    /**
     * One PackBits segment {@code in[from, to)} into {@code n} bytes. Output past n is dropped (some
     * encoders pad a segment to an even length); a segment that ends short is refused.
     */
    static byte[] unpack(byte[] in, int from, int to, int n, int segment) {
        // a run of 128 equal bytes takes 2: a segment shorter than n / 64 cannot hold the plane, and is
        // refused before a plane is allocated for it (Rows and Columns may be damaged too)
        if ((long) n > 64L * (to - from)) {
            throw new Refusal("damaged DICOM RLE data: segment " + segment + " has " + (to - from)
                    + " bytes, too few for " + n + " pixels");
        }
        byte[] out = new byte[n];
        int o = 0;
        int p = from;
        while (o < n && p < to) {
            int control = in[p++];
            if (control >= 0) {
                int count = Math.min(control + 1, to - p);
                int kept = Math.min(count, n - o);
                System.arraycopy(in, p, out, o, kept);
                o += kept;
                p += count;
            } else if (control != -128) {
                if (p >= to) {
                    break;
                }
                int count = Math.min(1 - control, n - o);
                byte value = in[p++];
                for (int i = 0; i < count; i++) {
                    out[o++] = value;
                }
            }
        }
        if (o < n) {
            throw new Refusal(
                    "damaged DICOM RLE data: segment " + segment + " decodes to " + o + " of " + n + " bytes");
        }
        return out;
    }
}
