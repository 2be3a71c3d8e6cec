package dev.cxr.model.image.dicom;

import java.util.Map;
import java.util.Optional;

/**
 * The transfer syntaxes cxr decodes: how the data set is encoded (VR explicit or implicit, byte
 * order, deflate) and how the pixel data is stored. Every other syntax is refused by name, through
 * {@link #describe(String)}.
 */
enum TransferSyntax {
    IMPLICIT_VR_LITTLE_ENDIAN("1.2.840.10008.1.2", "Implicit VR Little Endian", false, false, false, Pixels.NATIVE),
    EXPLICIT_VR_LITTLE_ENDIAN("1.2.840.10008.1.2.1", "Explicit VR Little Endian", true, false, false, Pixels.NATIVE),
    DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN(
            "1.2.840.10008.1.2.1.99", "Deflated Explicit VR Little Endian", true, false, true, Pixels.NATIVE),
    EXPLICIT_VR_BIG_ENDIAN("1.2.840.10008.1.2.2", "Explicit VR Big Endian", true, true, false, Pixels.NATIVE),
    RLE_LOSSLESS("1.2.840.10008.1.2.5", "RLE Lossless", true, false, false, Pixels.RLE),
    JPEG_BASELINE("1.2.840.10008.1.2.4.50", "JPEG Baseline (Process 1)", true, false, false, Pixels.JPEG),
    JPEG_EXTENDED("1.2.840.10008.1.2.4.51", "JPEG Extended (Process 2 and 4)", true, false, false, Pixels.JPEG),
    JPEG_LOSSLESS(
            "1.2.840.10008.1.2.4.57", "JPEG Lossless, Non-Hierarchical (Process 14)", true, false, false, Pixels.JPEG),
    JPEG_LOSSLESS_SV1(
            "1.2.840.10008.1.2.4.70",
            "JPEG Lossless, Non-Hierarchical, First-Order Prediction (Process 14 [Selection Value 1])",
            true,
            false,
            false,
            Pixels.JPEG),
    JPEG_2000_LOSSLESS(
            "1.2.840.10008.1.2.4.90",
            "JPEG 2000 Image Compression (Lossless Only)",
            true,
            false,
            false,
            Pixels.JPEG_2000),
    JPEG_2000("1.2.840.10008.1.2.4.91", "JPEG 2000 Image Compression", true, false, false, Pixels.JPEG_2000);

    /** How the pixel data of a syntax is stored. */
    enum Pixels {
        NATIVE,
        RLE,
        JPEG,
        JPEG_2000
    }

    /** Names of syntaxes that are refused, so that the refusal says what the file is. */
    private static final Map<String, String> REFUSED = Map.ofEntries(
            Map.entry("1.2.840.10008.1.2.4.80", "JPEG-LS Lossless Image Compression"),
            Map.entry("1.2.840.10008.1.2.4.81", "JPEG-LS Lossy (Near-Lossless) Image Compression"),
            Map.entry("1.2.840.10008.1.2.4.92", "JPEG 2000 Part 2 Multi-component Image Compression (Lossless Only)"),
            Map.entry("1.2.840.10008.1.2.4.93", "JPEG 2000 Part 2 Multi-component Image Compression"),
            Map.entry("1.2.840.10008.1.2.4.94", "JPIP Referenced"),
            Map.entry("1.2.840.10008.1.2.4.95", "JPIP Referenced Deflate"),
            Map.entry("1.2.840.10008.1.2.4.100", "MPEG2 Main Profile / Main Level"),
            Map.entry("1.2.840.10008.1.2.4.101", "MPEG2 Main Profile / High Level"),
            Map.entry("1.2.840.10008.1.2.4.102", "MPEG-4 AVC/H.264 High Profile / Level 4.1"),
            Map.entry("1.2.840.10008.1.2.4.103", "MPEG-4 AVC/H.264 BD-compatible High Profile / Level 4.1"),
            Map.entry("1.2.840.10008.1.2.4.104", "MPEG-4 AVC/H.264 High Profile / Level 4.2 For 2D Video"),
            Map.entry("1.2.840.10008.1.2.4.105", "MPEG-4 AVC/H.264 High Profile / Level 4.2 For 3D Video"),
            Map.entry("1.2.840.10008.1.2.4.106", "MPEG-4 AVC/H.264 Stereo High Profile / Level 4.2"),
            Map.entry("1.2.840.10008.1.2.4.107", "HEVC/H.265 Main Profile / Level 5.1"),
            Map.entry("1.2.840.10008.1.2.4.108", "HEVC/H.265 Main 10 Profile / Level 5.1"),
            Map.entry("1.2.840.10008.1.2.4.110", "JPEG XL Lossless"),
            Map.entry("1.2.840.10008.1.2.4.111", "JPEG XL JPEG Recompression"),
            Map.entry("1.2.840.10008.1.2.4.112", "JPEG XL"),
            Map.entry("1.2.840.10008.1.2.4.201", "High-Throughput JPEG 2000 Image Compression (Lossless Only)"),
            Map.entry(
                    "1.2.840.10008.1.2.4.202",
                    "High-Throughput JPEG 2000 with RPCL Options Image Compression (Lossless Only)"),
            Map.entry("1.2.840.10008.1.2.4.203", "High-Throughput JPEG 2000 Image Compression"),
            Map.entry("1.2.840.10008.1.2.4.204", "JPIP HTJ2K Referenced"),
            Map.entry("1.2.840.10008.1.2.4.205", "JPIP HTJ2K Referenced Deflate"),
            Map.entry("1.2.840.10008.1.2.6.1", "RFC 2557 MIME encapsulation"),
            Map.entry("1.2.840.10008.1.2.6.2", "XML Encoding"),
            Map.entry("1.2.840.10008.1.2.8.1", "Deflated Image Frame Compression"));

    final String uid;
    final String title;
    final boolean explicitVr;
    final boolean bigEndian;
    final boolean deflated;
    final Pixels pixels;

    TransferSyntax(String uid, String title, boolean explicitVr, boolean bigEndian, boolean deflated, Pixels pixels) {
        this.uid = uid;
        this.title = title;
        this.explicitVr = explicitVr;
        this.bigEndian = bigEndian;
        this.deflated = deflated;
        this.pixels = pixels;
    }

    /** The syntax of this UID, when cxr decodes it. */
    static Optional<TransferSyntax> of(String uid) {
        for (TransferSyntax t : values()) {
            if (t.uid.equals(uid)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /** A syntax for a message: its name and UID ("JPEG-LS Lossless Image Compression (1.2.840.10008.1.2.4.80)"). */
    static String describe(String uid) {
        Optional<TransferSyntax> known = of(uid);
        if (known.isPresent()) {
            return known.get().title + " (" + uid + ")";
        }
        String name = REFUSED.get(uid);
        if (name != null) {
            return name + " (" + uid + ")";
        }
        if (uid.matches("1\\.2\\.840\\.10008\\.1\\.2\\.4\\.(5[2-9]|6[0-6])")) {
            return "a retired JPEG process (" + uid + ")";
        }
        return uid.matches("[0-9.]{1,64}") ? uid : "an unreadable UID";
    }
}
