package dev.cxr.model.image.dicom;

import java.util.Locale;
import java.util.Map;

/** The DICOM tags the reader uses, as {@code group << 16 | element}. */
final class Tags {
    static final int TRANSFER_SYNTAX_UID = 0x0002_0010;
    static final int PATIENT_ID = 0x0010_0020;

    static final int SAMPLES_PER_PIXEL = 0x0028_0002;
    static final int PHOTOMETRIC_INTERPRETATION = 0x0028_0004;
    static final int PLANAR_CONFIGURATION = 0x0028_0006;
    static final int NUMBER_OF_FRAMES = 0x0028_0008;
    static final int ROWS = 0x0028_0010;
    static final int COLUMNS = 0x0028_0011;
    static final int BITS_ALLOCATED = 0x0028_0100;
    static final int BITS_STORED = 0x0028_0101;
    static final int PIXEL_REPRESENTATION = 0x0028_0103;
    static final int WINDOW_CENTER = 0x0028_1050;
    static final int WINDOW_WIDTH = 0x0028_1051;
    static final int RESCALE_INTERCEPT = 0x0028_1052;
    static final int RESCALE_SLOPE = 0x0028_1053;
    static final int VOI_LUT_FUNCTION = 0x0028_1056;
    static final int RED_PALETTE_DESCRIPTOR = 0x0028_1101;
    static final int GREEN_PALETTE_DESCRIPTOR = 0x0028_1102;
    static final int BLUE_PALETTE_DESCRIPTOR = 0x0028_1103;
    static final int RED_PALETTE_DATA = 0x0028_1201;
    static final int GREEN_PALETTE_DATA = 0x0028_1202;
    static final int BLUE_PALETTE_DATA = 0x0028_1203;
    static final int SEGMENTED_RED_PALETTE_DATA = 0x0028_1221;
    static final int MODALITY_LUT_SEQUENCE = 0x0028_3000;
    static final int LUT_DESCRIPTOR = 0x0028_3002;
    static final int LUT_DATA = 0x0028_3006;
    static final int VOI_LUT_SEQUENCE = 0x0028_3010;
    static final int PRESENTATION_LUT_SHAPE = 0x2050_0020;

    static final int FLOAT_PIXEL_DATA = 0x7FE0_0008;
    static final int DOUBLE_FLOAT_PIXEL_DATA = 0x7FE0_0009;
    static final int PIXEL_DATA = 0x7FE0_0010;

    /** Items and delimiters: group FFFE, no VR even in explicit-VR data sets. */
    static final int ITEM = 0xFFFE_E000;

    static final int ITEM_DELIMITATION = 0xFFFE_E00D;
    static final int SEQUENCE_DELIMITATION = 0xFFFE_E0DD;

    /** The sequences the reader looks into when the data set is in Implicit VR (where no VR says SQ). */
    static boolean isKnownSequence(int tag) {
        return tag == MODALITY_LUT_SEQUENCE || tag == VOI_LUT_SEQUENCE;
    }

    static boolean isPrivate(int tag) {
        return ((tag >>> 16) & 1) == 1;
    }

    private static final Map<Integer, String> NAMES = Map.ofEntries(
            Map.entry(TRANSFER_SYNTAX_UID, "Transfer Syntax UID"),
            Map.entry(SAMPLES_PER_PIXEL, "Samples per Pixel"),
            Map.entry(PHOTOMETRIC_INTERPRETATION, "Photometric Interpretation"),
            Map.entry(PLANAR_CONFIGURATION, "Planar Configuration"),
            Map.entry(NUMBER_OF_FRAMES, "Number of Frames"),
            Map.entry(ROWS, "Rows"),
            Map.entry(COLUMNS, "Columns"),
            Map.entry(BITS_ALLOCATED, "Bits Allocated"),
            Map.entry(BITS_STORED, "Bits Stored"),
            Map.entry(PIXEL_REPRESENTATION, "Pixel Representation"),
            Map.entry(WINDOW_CENTER, "Window Center"),
            Map.entry(WINDOW_WIDTH, "Window Width"),
            Map.entry(RESCALE_INTERCEPT, "Rescale Intercept"),
            Map.entry(RESCALE_SLOPE, "Rescale Slope"),
            Map.entry(VOI_LUT_FUNCTION, "VOI LUT Function"),
            Map.entry(RED_PALETTE_DESCRIPTOR, "Red Palette Color Lookup Table Descriptor"),
            Map.entry(GREEN_PALETTE_DESCRIPTOR, "Green Palette Color Lookup Table Descriptor"),
            Map.entry(BLUE_PALETTE_DESCRIPTOR, "Blue Palette Color Lookup Table Descriptor"),
            Map.entry(RED_PALETTE_DATA, "Red Palette Color Lookup Table Data"),
            Map.entry(GREEN_PALETTE_DATA, "Green Palette Color Lookup Table Data"),
            Map.entry(BLUE_PALETTE_DATA, "Blue Palette Color Lookup Table Data"),
            Map.entry(MODALITY_LUT_SEQUENCE, "Modality LUT Sequence"),
            Map.entry(LUT_DESCRIPTOR, "LUT Descriptor"),
            Map.entry(LUT_DATA, "LUT Data"),
            Map.entry(VOI_LUT_SEQUENCE, "VOI LUT Sequence"),
            Map.entry(PRESENTATION_LUT_SHAPE, "Presentation LUT Shape"),
            Map.entry(PIXEL_DATA, "Pixel Data"));

    /** {@code Rows (0028,0010)}, or the bare tag for one the reader does not name. */
    static String name(int tag) {
        String n = NAMES.get(tag);
        return n == null ? format(tag) : n + " " + format(tag);
    }

    /** {@code (0028,0010)}. */
    static String format(int tag) {
        return String.format(Locale.ROOT, "(%04X,%04X)", tag >>> 16, tag & 0xFFFF);
    }

    private Tags() {}
}
