package dev.cxr.model.image.dicom;

import dev.cxr.engine.CxrException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Reads a single-frame DICOM image file: finds the data set (after the 128-byte preamble and
 * {@code DICM}, or at byte 0), reads the File Meta Information for the transfer syntax (or, when
 * there is none, tells the data set's encoding from its first element), inflates a deflated data
 * set, parses it, and decodes the top-level Pixel Data.
 *
 * <p>A file is refused, with one {@link CxrException} line naming it, by the first of these checks
 * that fails: not DICOM; float pixel data; no pixel data; the attributes a picture needs missing;
 * truncated; more than one frame; a transfer syntax cxr does not decode (JPEG-LS, HTJ2K, video,
 * 12-bit lossy JPEG, ...); a photometric interpretation or bit depth it does not render. Any other
 * failure of any byte sequence is also one such line, never another exception.
 */
public final class DicomReader {
    /**
     * The largest file read, 1 GiB: the whole file is held in memory, and the largest image cxr
     * accepts ({@link dev.cxr.model.image.ImageDecoder#MAX_PIXELS} 16-bit pixels) takes 200 MB.
     * The same bound caps what a deflated data set may inflate to.
     */
    public static final int MAX_BYTES = 1 << 30;

    private static final byte[] MAGIC = "DICM".getBytes(StandardCharsets.US_ASCII);
    private static final int PREAMBLE = 128;
    /** The first element of a data set without preamble is short; a larger implicit length is not DICOM. */
    private static final long MAX_FIRST_ELEMENT = 1 << 16;

    private DicomReader() {}

    /**
     * Whether a file's first bytes are DICOM: {@code DICM} at byte 128, or a data set with no
     * preamble that starts with an element of group 0002 or 0008, in either byte order.
     */
    public static boolean looksLikeDicom(byte[] head) {
        if (head.length >= PREAMBLE + 4 && hasMagic(head)) {
            return true;
        }
        if (head.length < 8) {
            return false;
        }
        for (boolean big : new boolean[] {false, true}) {
            int group = Bytes.u16(head, 0, big);
            if ((group == 0x0002 || group == 0x0008)
                    && (DataSetParser.isVr(head, 4) || Bytes.u32(head, 4, big) < MAX_FIRST_ELEMENT)) {
                return true;
            }
        }
        return false;
    }

    /** {@link #looksLikeDicom} on a file's first 132 bytes; false for a file that cannot be read. */
    public static boolean isDicom(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return looksLikeDicom(in.readNBytes(PREAMBLE + 4));
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Decodes a DICOM file.
     *
     * @throws CxrException with one line naming the file and why it cannot be read
     */
    public static DicomImage read(Path file) {
        return read(file.toString(), readBytes(file));
    }

    private static byte[] readBytes(Path file) {
        try {
            long size = Files.size(file);
            if (size > MAX_BYTES) {
                throw new CxrException(file + ": a DICOM file of " + size + " bytes, over cxr's limit of "
                        + (MAX_BYTES >> 20) + " MiB");
            }
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new CxrException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Decodes a DICOM file's bytes; {@code name} starts every message.
     *
     * @throws CxrException with one line naming it and why it cannot be read
     */
    public static DicomImage read(String name, byte[] bytes) {
        try {
            return decode(bytes);
        } catch (Refusal r) {
            throw new CxrException(name + ": " + r.getMessage(), r);
        } catch (RuntimeException e) {
            // a decoder's own failure on a damaged stream; the parser itself refuses through Refusal
            throw new CxrException(name + ": damaged DICOM file (" + e + ")", e);
        }
    }

    /**
     * The hash of a DICOM file's Patient ID (as {@link DicomImage#patientIdHash()} gives it), read from
     * its data set without decoding the pixels; empty when the file has no Patient ID.
     *
     * @throws CxrException with one line naming the file when it is not a readable DICOM file
     */
    public static Optional<String> patientIdHash(Path file) {
        byte[] bytes = readBytes(file);
        try {
            return Optional.ofNullable(patientIdHash(parse(bytes).ds()));
        } catch (Refusal r) {
            throw new CxrException(file + ": " + r.getMessage(), r);
        } catch (RuntimeException e) {
            throw new CxrException(file + ": damaged DICOM file (" + e + ")", e);
        }
    }

    /** A data set as parsed, with what decoding its pixels needs of the file's encoding. */
    private record Parsed(DataSet ds, byte[] data, String uid, Optional<TransferSyntax> ts, boolean big) {}

    private static Parsed parse(byte[] b) {
        if (!looksLikeDicom(b)) {
            throw new Refusal("not a DICOM file (no DICM at byte 128, and it does not start with a DICOM element)");
        }
        int p = b.length >= PREAMBLE + 4 && hasMagic(b) ? PREAMBLE + 4 : 0;
        FileMeta meta = FileMeta.read(b, p);
        p = meta.dataSetOffset();
        String uid = meta.transferSyntaxUid();
        Optional<TransferSyntax> ts;
        boolean explicit;
        boolean big;
        if (uid == null) {
            // no File Meta: the encoding the data set is written in (old files use Implicit VR LE)
            big = b.length - p >= 2 && b[p] == 0 && b[p + 1] != 0;
            explicit = big || DataSetParser.isVr(b, p + 4);
            ts = Optional.of(
                    big
                            ? TransferSyntax.EXPLICIT_VR_BIG_ENDIAN
                            : explicit
                                    ? TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN
                                    : TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN);
        } else {
            ts = TransferSyntax.of(uid);
            // an unknown syntax is refused after the checks before it; every standard compressed one is explicit LE
            explicit = ts.map(t -> t.explicitVr).orElse(true);
            big = ts.map(t -> t.bigEndian).orElse(false);
        }
        byte[] data = b;
        int end = b.length;
        if (ts.isPresent() && ts.get().deflated) {
            data = inflate(b, p);
            p = 0;
            end = data.length;
        }
        if (explicit && end - p >= 6 && !DataSetParser.isVr(data, p + 4)) {
            explicit = false; // a writer that said explicit and wrote implicit
        }
        return new Parsed(DataSetParser.parse(data, p, end, explicit, big), data, uid, ts, big);
    }

    private static DicomImage decode(byte[] b) {
        Parsed parsed = parse(b);
        DataSet ds = parsed.ds();
        byte[] data = parsed.data();
        String uid = parsed.uid();
        Optional<TransferSyntax> ts = parsed.ts();
        boolean big = parsed.big();
        if (ds.has(Tags.FLOAT_PIXEL_DATA) || ds.has(Tags.DOUBLE_FLOAT_PIXEL_DATA)) {
            throw new Refusal("unsupported DICOM image: float pixel data ("
                    + (ds.has(Tags.FLOAT_PIXEL_DATA) ? "Float" : "Double Float")
                    + " Pixel Data); cxr reads integer pixel data");
        }
        if (!ds.has(Tags.PIXEL_DATA)) {
            String modality = PixelModule.printable(ds.text(0x0008_0060));
            throw new Refusal("a DICOM file with no pixel data"
                    + (modality.isEmpty() ? "" : " (Modality " + modality + ")") + ": not an image");
        }
        PixelModule pm = PixelModule.of(ds);
        Element pixels = ds.element(Tags.PIXEL_DATA);
        boolean nativeSyntax =
                ts.map(t -> t.pixels == TransferSyntax.Pixels.NATIVE).orElse(false);
        if (nativeSyntax && pixels.encapsulated()) {
            throw new Refusal("damaged DICOM file: encapsulated pixel data in the uncompressed " + ts.get().title);
        }
        if (ts.isPresent() && !nativeSyntax && !pixels.encapsulated()) {
            throw new Refusal("damaged DICOM file: uncompressed pixel data in " + ts.get().title);
        }
        if (nativeSyntax && pixels.value().length() < pm.nativeBytes()) {
            throw new Refusal("truncated DICOM file: pixel data has "
                    + pixels.value().length() + " of " + pm.nativeBytes() + " bytes");
        }
        if (pixels.encapsulated() && ds.endsInsidePixelData()) {
            throw new Refusal("truncated DICOM file: it ends inside the encapsulated pixel data");
        }
        if (pm.frames() > 1) {
            throw new Refusal("DICOM multi-frame image (" + pm.frames() + " frames): cxr reads single-frame images");
        }
        if (ts.isEmpty()) {
            throw new Refusal(
                    "unsupported transfer syntax " + TransferSyntax.describe(uid)
                            + ": cxr reads uncompressed, deflated, RLE, JPEG (baseline, 8-bit extended, lossless) and JPEG 2000 DICOM");
        }
        TransferSyntax syntax = ts.get();
        if (syntax == TransferSyntax.JPEG_EXTENDED && pm.bitsStored() > 8) {
            throw new Refusal("unsupported DICOM pixel data: 12-bit lossy JPEG (" + syntax.title + ", "
                    + pm.bitsStored() + " bits stored): no decoder in cxr reads it");
        }
        pm.requireSupported(syntax);

        int[] values = switch (syntax.pixels) {
            case NATIVE ->
                NativePixels.decode(
                        data,
                        pixels.value(),
                        pm,
                        big,
                        big && pm.bitsAllocated() == 8 && pixels.vr().equals("OW"));
            case RLE -> RleDecoder.decode(frame(data, pixels), pm);
            case JPEG -> CodecFrame.jpeg(frame(data, pixels), pm);
            case JPEG_2000 -> CodecFrame.jpeg2000(frame(data, pixels), pm);
        };
        Display display;
        if (pm.colour()) {
            if (pm.photometric().equals("YBR_FULL") && syntax.pixels != TransferSyntax.Pixels.JPEG) {
                YbrToRgb.convert(values);
            }
            display = Display.RGB;
        } else {
            for (int i = 0; i < values.length; i++) {
                values[i] = pm.cut(values[i]);
            }
            display = pm.photometric().equals("PALETTE COLOR") ? PaletteDisplay.of(ds, pm) : GrayDisplay.of(ds, pm);
        }
        return new DicomImage(
                pm.columns(),
                pm.rows(),
                pm.samples(),
                pm.photometric(),
                TransferSyntax.describe(syntax.uid),
                values,
                display,
                patientIdHash(ds));
    }

    private static boolean hasMagic(byte[] b) {
        for (int i = 0; i < 4; i++) {
            if (b[PREAMBLE + i] != MAGIC[i]) {
                return false;
            }
        }
        return true;
    }

    /** The one frame of encapsulated pixel data: every fragment after the Basic Offset Table, joined. */
    private static byte[] frame(byte[] b, Element pixels) {
        List<Span> fragments = pixels.fragments();
        if (fragments.size() < 2) {
            throw new Refusal("damaged DICOM file: the encapsulated pixel data has no fragment after the offset table");
        }
        long total = 0;
        for (Span f : fragments.subList(1, fragments.size())) {
            total += f.length();
        }
        byte[] frame = new byte[(int) total]; // fragments lie within the file, so total < MAX_BYTES
        int o = 0;
        for (Span f : fragments.subList(1, fragments.size())) {
            System.arraycopy(b, f.offset(), frame, o, f.length());
            o += f.length();
        }
        return frame;
    }

    /** A deflated data set (raw deflate, RFC 1951; a zlib header is taken too), at most {@link #MAX_BYTES}. */
    private static byte[] inflate(byte[] b, int from) {
        for (boolean raw : new boolean[] {true, false}) {
            Inflater inflater = new Inflater(raw);
            try {
                inflater.setInput(b, from, b.length - from);
                ByteArrayOutputStream out =
                        new ByteArrayOutputStream((int) Math.min(MAX_BYTES, 4L * (b.length - from) + 1024));
                byte[] chunk = new byte[1 << 16];
                while (!inflater.finished()) {
                    int n = inflater.inflate(chunk);
                    if (n == 0) {
                        break; // input used up (or a dictionary asked for): the data set parser says what is cut off
                    }
                    if (out.size() + (long) n > MAX_BYTES) {
                        throw new Refusal("the deflated DICOM data set inflates to over " + (MAX_BYTES >> 20) + " MiB");
                    }
                    out.write(chunk, 0, n);
                }
                return out.toByteArray();
            } catch (DataFormatException e) {
                if (!raw) {
                    throw new Refusal("damaged deflated DICOM data set (" + e.getMessage() + ")");
                }
            } finally {
                inflater.end();
            }
        }
        throw new IllegalStateException("unreachable");
    }

    private static String patientIdHash(DataSet ds) {
        byte[] id = ds.bytes(Tags.PATIENT_ID);
        if (id == null) {
            return null;
        }
        int end = id.length;
        while (end > 0 && (id[end - 1] == ' ' || id[end - 1] == 0)) {
            end--;
        }
        int start = 0;
        while (start < end && id[start] == ' ') {
            start++;
        }
        if (start == end) {
            return null;
        }
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(id, start, end - start);
            return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
