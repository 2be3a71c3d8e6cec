package dev.cxr.model.audit;

/**
 * What a file says about an image apart from the lungs in it: how it is stored, how large it is and
 * whether it is in colour, with the two hashes the duplicate search compares.
 *
 * @param path            relative to the dataset ({@code covid/x.jpeg})
 * @param format          from the file's first bytes: JPEG, PNG, BMP, TIFF, GIF, DICOM or unknown
 * @param channels        channels as stored (1 gray, 2 gray + alpha, 3 RGB or palette, 4 RGBA)
 * @param bitsPerSample   bits of one stored sample (8 or 16; a palette's index bits)
 * @param grayscale       every decoded pixel has R = G = B
 * @param colouredShare   share of pixels whose channels differ by more than {@link FileFacts#COLOURED_SPREAD}
 *                        levels (arrows, coloured text, tints), 0 for a grayscale image
 * @param colourMode      one of {@link FileFacts#GRAY_FILE}, {@link FileFacts#RGB_GRAY}, {@link FileFacts#RGB_NEAR_GRAY},
 *                        {@link FileFacts#RGB_COLOUR}
 * @param perceptualHash  {@link PerceptualHash} of the decoded image, 16 hex digits
 */
public record ImageFacts(
        String path,
        String className,
        int label,
        long bytes,
        String sha256,
        String format,
        int channels,
        int bitsPerSample,
        int width,
        int height,
        boolean grayscale,
        double colouredShare,
        String colourMode,
        String perceptualHash) {

    /** The hash as bits, for {@link PerceptualHash#distance}. */
    public long hashBits() {
        return Long.parseUnsignedLong(perceptualHash, 16);
    }

    /** Width over height. */
    public double aspectRatio() {
        return width / (double) height;
    }

    /** The shorter side in pixels. */
    public int shortSide() {
        return Math.min(width, height);
    }
}
