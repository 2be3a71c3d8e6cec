package dev.cxr.model.image.dicom;

import dev.cxr.model.image.RgbImage;
import java.util.Locale;
import java.util.Optional;

/**
 * One decoded DICOM image: its stored values (top-level Pixel Data only, grayscale cut to Bits Stored
 * and sign-extended, colour as RGB) and the display pipeline its data set asks for. It holds no
 * patient data: the Patient ID only as a hash, for grouping images of one patient, and nothing of it
 * appears in {@link #toString()}.
 */
public final class DicomImage {
    private final int width;
    private final int height;
    private final int samples;
    private final String photometric;
    private final String transferSyntax;
    private final int[] stored;
    private final Display display;
    private final String patientIdHash;

    DicomImage(
            int width,
            int height,
            int samples,
            String photometric,
            String transferSyntax,
            int[] stored,
            Display display,
            String patientIdHash) {
        if (stored.length != (long) width * height * samples) {
            throw new IllegalArgumentException(
                    width + "x" + height + "x" + samples + " image with " + stored.length + " stored values");
        }
        this.width = width;
        this.height = height;
        this.samples = samples;
        this.photometric = photometric;
        this.transferSyntax = transferSyntax;
        this.stored = stored;
        this.display = display;
        this.patientIdHash = patientIdHash;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** 1 for grayscale and palette images, 3 for colour. */
    public int samples() {
        return samples;
    }

    /** MONOCHROME1, MONOCHROME2, PALETTE COLOR, RGB, YBR_FULL, ... as the file says. */
    public String photometricInterpretation() {
        return photometric;
    }

    /** The transfer syntax's name and UID. */
    public String transferSyntax() {
        return transferSyntax;
    }

    /** A copy of the stored values: row-major, {@code height x width} (x 3 for colour, interleaved R, G, B). */
    public int[] storedValues() {
        return stored.clone();
    }

    /** The 8-bit picture a radiology viewer shows of this image, as RGB. */
    public RgbImage render() {
        return display.render(width, height, stored);
    }

    /**
     * The first 16 hex digits of the SHA-256 of the Patient ID (0010,0020), when the file has a
     * non-empty one: a key for grouping one patient's images (grouped splits). It is a pseudonym, not
     * an anonymisation (short numeric IDs can be recovered by trying them all), so it is not printed
     * or written either.
     */
    public Optional<String> patientIdHash() {
        return Optional.ofNullable(patientIdHash);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "DicomImage[%dx%d %s, %s]", width, height, photometric, transferSyntax);
    }
}
