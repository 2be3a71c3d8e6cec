package dev.cxr.model.image.dicom;

import dev.cxr.model.image.ImageDecoder;
import java.util.Set;

/**
 * The Image Pixel attributes that say how to read the stored values: size, samples, bits, sign,
 * photometric interpretation, planar configuration and frame count.
 */
record PixelModule(
        int rows,
        int columns,
        int samples,
        int bitsAllocated,
        int bitsStored,
        boolean signed,
        String photometric,
        int planarConfiguration,
        int frames) {
    private static final Set<String> GRAY = Set.of("MONOCHROME1", "MONOCHROME2", "PALETTE COLOR");
    private static final Set<String> COLOUR = Set.of("RGB", "YBR_FULL", "YBR_FULL_422", "YBR_RCT", "YBR_ICT");

    /** Reads the attributes, refusing a data set that lacks one a picture cannot do without. */
    static PixelModule of(DataSet ds) {
        for (int tag : new int[] {Tags.ROWS, Tags.COLUMNS, Tags.BITS_ALLOCATED, Tags.PHOTOMETRIC_INTERPRETATION}) {
            if (!ds.has(tag)) {
                throw new Refusal("damaged DICOM image: " + Tags.name(tag) + " is missing");
            }
        }
        int bitsAllocated = ds.uint16(Tags.BITS_ALLOCATED, 0);
        int frames = ds.integer(Tags.NUMBER_OF_FRAMES, 1);
        return new PixelModule(
                ds.uint16(Tags.ROWS, 0),
                ds.uint16(Tags.COLUMNS, 0),
                ds.uint16(Tags.SAMPLES_PER_PIXEL, 1),
                bitsAllocated,
                ds.uint16(Tags.BITS_STORED, bitsAllocated),
                ds.uint16(Tags.PIXEL_REPRESENTATION, 0) == 1,
                printable(ds.text(Tags.PHOTOMETRIC_INTERPRETATION)),
                ds.uint16(Tags.PLANAR_CONFIGURATION, 0),
                Math.max(frames, 1));
    }

    /** A CS value fit for a message: upper-case letters, digits, space and underscore, at most 16. */
    static String printable(String s) {
        String t = s == null ? "" : s.trim();
        return t.length() <= 16 && t.matches("[A-Z0-9_ ]*") ? t : "(unreadable)";
    }

    /** The bytes native pixel data of all frames takes: Rows x Columns x Frames x Samples x Bits Allocated / 8. */
    long nativeBytes() {
        return ((long) rows * columns * frames * samples * bitsAllocated + 7) / 8;
    }

    boolean colour() {
        return samples == 3;
    }

    /**
     * The last check before decoding (rule 6 of the test set): grayscale and palette images are one
     * sample of 8 or 16 bits, colour ones three samples of 8 bits; a sane bit depth and size.
     */
    void requireSupported(TransferSyntax ts) {
        if (rows < 1 || columns < 1) {
            throw new Refusal("damaged DICOM image: " + columns + "x" + rows + " pixels");
        }
        if ((long) rows * columns > ImageDecoder.MAX_PIXELS) {
            throw new Refusal("the DICOM header says " + columns + "x" + rows + " pixels, over cxr's limit of "
                    + ImageDecoder.MAX_PIXELS / 1_000_000 + " megapixels");
        }
        if (GRAY.contains(photometric)) {
            if (samples != 1 || (bitsAllocated != 8 && bitsAllocated != 16)) {
                throw unsupported();
            }
        } else if (COLOUR.contains(photometric)) {
            if (samples != 3 || bitsAllocated != 8) {
                throw unsupported();
            }
            if (planarConfiguration != 0 && planarConfiguration != 1) {
                throw new Refusal("damaged DICOM image: Planar Configuration " + planarConfiguration);
            }
            if (ts.pixels == TransferSyntax.Pixels.NATIVE && photometric.equals("YBR_FULL_422")) {
                throw new Refusal("unsupported DICOM image: uncompressed YBR_FULL_422 (subsampled chroma)");
            }
            if (ts.pixels != TransferSyntax.Pixels.JPEG_2000
                    && photometric.startsWith("YBR_")
                    && photometric.endsWith("CT")) {
                throw new Refusal("damaged DICOM image: " + photometric + " outside JPEG 2000");
            }
        } else {
            throw new Refusal("unsupported DICOM photometric interpretation " + photometric
                    + ": cxr reads MONOCHROME1, MONOCHROME2, PALETTE COLOR, RGB and YBR_FULL");
        }
        if (bitsStored < 1 || bitsStored > bitsAllocated) {
            throw new Refusal("damaged DICOM image: " + bitsStored + " bits stored of " + bitsAllocated + " allocated");
        }
    }

    private Refusal unsupported() {
        return new Refusal("unsupported DICOM " + photometric + " image with " + samples + " sample"
                + (samples == 1 ? "" : "s") + " of " + bitsAllocated + " bits");
    }

    /** A stored grayscale value cut to Bits Stored bits, then sign-extended when Pixel Representation is 1. */
    int cut(int v) {
        int u = bitsStored >= 32 ? v : v & ((1 << bitsStored) - 1);
        return signed && bitsStored < 32 && (u >>> (bitsStored - 1) & 1) == 1 ? u - (1 << bitsStored) : u;
    }
}
