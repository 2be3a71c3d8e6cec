package dev.cxr.model.image.dicom;

/**
 * Uncompressed pixel data of one frame: 8- or 16-bit grayscale samples in the data set's byte order,
 * or 8-bit colour samples interleaved (Planar Configuration 0) or as three planes (1).
 */
final class NativePixels {
    private NativePixels() {}

    /**
     * The raw sample values, row-major, colour interleaved as R, G, B (or Y, Cb, Cr). Grayscale
     * values are not cut to Bits Stored here.
     *
     * @param swap8 whether 8-bit samples were written as 16-bit words in big-endian order (OW in
     *              Explicit VR Big Endian), so that each pair of bytes is swapped
     */
    static int[] decode(byte[] b, Span value, PixelModule pm, boolean bigEndian, boolean swap8) {
        int n = pm.rows() * pm.columns();
        int off = value.offset();
        int[] v = new int[n * pm.samples()];
        if (pm.bitsAllocated() == 16) {
            for (int i = 0; i < v.length; i++) {
                v[i] = Bytes.u16(b, off + 2 * i, bigEndian);
            }
            return v;
        }
        if (pm.samples() == 3 && pm.planarConfiguration() == 1) {
            for (int i = 0; i < n; i++) {
                for (int c = 0; c < 3; c++) {
                    v[i * 3 + c] = byteAt(b, off, c * n + i, swap8);
                }
            }
            return v;
        }
        for (int i = 0; i < v.length; i++) {
            v[i] = byteAt(b, off, i, swap8);
        }
        return v;
    }

    private static int byteAt(byte[] b, int off, int i, boolean swap8) {
        return Bytes.u8(b, off + (swap8 ? i ^ 1 : i));
    }
}
