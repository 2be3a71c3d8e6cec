package dev.cxr.model.image.dicom;

/**
 * A lookup table as DICOM stores one (Modality LUT, VOI LUT, a palette channel): the descriptor
 * (number of entries, 0 meaning 65536; the first stored value mapped; bits per entry) and the entries.
 * An input below the first mapped value takes the first entry, one past the end the last.
 */
record Lut(int firstMapped, int bits, int[] entries) {
    Lut {
        if (bits < 1 || bits > 16) {
            throw new Refusal("damaged DICOM lookup table: " + bits + " bits per entry");
        }
        if (entries.length == 0) {
            throw new Refusal("damaged DICOM lookup table: no entries");
        }
    }

    /** The largest value an entry can hold: 2^bits - 1. */
    int top() {
        return (1 << bits) - 1;
    }

    /** {@code LUT[clamp(input - first, 0, n - 1)]}, clamped to {@link #top()}. */
    int lookup(long input) {
        long i = Math.max(0, Math.min(entries.length - 1, input - firstMapped));
        return Math.min(entries[(int) i], top());
    }

    /**
     * Reads a table from its descriptor and data elements.
     *
     * @param signedPixels whether the stored values are signed: then a first mapped value of 32768 or
     *                     more is the negative number its 16 bits spell (the descriptor is US or SS)
     */
    static Lut read(DataSet ds, int descriptorTag, int dataTag, boolean signedPixels) {
        int[] d = ds.uint16s(descriptorTag);
        if (d == null || d.length != 3) {
            throw new Refusal("damaged DICOM " + Tags.name(descriptorTag) + ": "
                    + (d == null ? "missing" : d.length + " values where 3 belong"));
        }
        int n = d[0] == 0 ? 65536 : d[0];
        Element descriptor = ds.element(descriptorTag);
        boolean signedFirst = descriptor.vr().equals("SS") || signedPixels;
        int first = signedFirst && d[1] >= 32768 ? d[1] - 65536 : d[1];
        int bits = d[2];
        Element data = ds.element(dataTag);
        if (data == null) {
            throw new Refusal("damaged DICOM lookup table: " + Tags.name(dataTag) + " is missing");
        }
        int length = data.value().length();
        int[] entries = new int[n];
        if (length >= 2L * n) {
            int[] words = ds.uint16s(dataTag);
            System.arraycopy(words, 0, entries, 0, n);
        } else if (bits <= 8 && length >= n) {
            byte[] bytes = ds.bytes(dataTag); // 8-bit entries packed one per byte (older writers)
            for (int i = 0; i < n; i++) {
                entries[i] = bytes[i] & 0xFF;
            }
        } else {
            throw new Refusal("damaged DICOM " + Tags.name(dataTag) + ": " + length + " bytes for " + n + " entries");
        }
        return new Lut(first, bits, entries);
    }
}
