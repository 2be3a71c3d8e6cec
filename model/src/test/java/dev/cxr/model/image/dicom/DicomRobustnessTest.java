package dev.cxr.model.image.dicom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.fail;

import dev.cxr.engine.CxrException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Any byte sequence ends in an image or one {@link CxrException} line: every cut of files in every
 * encoding, and seeded random damage to the bundled test files and to hand-made ones (flipped bytes,
 * lengths set to huge values, cuts). A timeout guards against a loop that never ends.
 *
 * <p>A longer run, on the shared test set's files as well: {@code mvn -B -pl model -am test
 * -Dtest=DicomRobustnessTest -Dsurefire.failIfNoSpecifiedTests=false -Dcxr.dicom.mutations=800
 * -Dcxr.dicom.shared=true} (22,400 damaged files, about 4 minutes on 2 cores).
 */
class DicomRobustnessTest {
    /** Far above the few seconds all of it takes; only a hang gets near it. */
    private static final Duration HANG = Duration.ofMinutes(2);

    private static final int MUTATIONS_PER_FILE = Integer.getInteger("cxr.dicom.mutations", 400);
    /** The shared set's files up to this size join the damage test with {@code -Dcxr.dicom.shared=true}. */
    private static final long SHARED_MAX_BYTES = 1_300_000;

    /** Small files covering the parser's paths: sequences, private elements, encapsulated RLE, deflate. */
    private static List<byte[]> handMade() {
        List<byte[]> files = new ArrayList<>();
        files.add(DicomReaderTest.image(DicomBytes.implicitLittle(), DicomReaderTest::clutter));
        files.add(DicomBytes.part10(
                DicomReaderTest.EXPLICIT_BE,
                DicomReaderTest.image(DicomBytes.explicitBig(), DicomReaderTest::clutter)));
        DicomBytes rle = DicomReaderTest.start(DicomBytes.explicitLittle());
        rle.pixelModule(4, 4, 1, "MONOCHROME2", 8, 8, 0);
        byte[] plane = new byte[16];
        for (int i = 0; i < 16; i++) {
            plane[i] = (byte) (i < 8 ? 7 : i * 13);
        }
        byte[] frame = RleDecoderTest.frame(plane);
        rle.encapsulated(Arrays.copyOf(frame, frame.length + frame.length % 2));
        files.add(DicomBytes.part10("1.2.840.10008.1.2.5", rle.bytes()));
        return files;
    }

    private static List<byte[]> bundled() {
        List<byte[]> files = new ArrayList<>();
        for (DicomTestSet.Entry e : DicomTestSet.entries(DicomTestSet.bundled())) {
            if (!e.file().equals("emri_small.dcm")) { // 84 KB; its first 8 KB are like MR_small's
                files.add(DicomTestSet.bytes(e.path()));
            }
        }
        return files;
    }

    @Test
    void everyCutOfAFileIsRefused() {
        assertTimeoutPreemptively(HANG, () -> {
            for (byte[] file : handMade()) {
                assertCutsRefusedBefore(file, file.length);
            }
            // MR_small_RLE ends with 138 bytes of Data Set Trailing Padding (FFFC,FFFC) after the pixel data's
            // sequence delimiter at 7644: a cut in the padding loses nothing and gives the same image
            assertCutsRefusedBefore(DicomTestSet.bytes(DicomTestSet.bundled().resolve("files/MR_small_RLE.dcm")), 7652);
        });
    }

    /** Every cut shorter than {@code needed} bytes is refused; every longer one decodes to the whole file's image. */
    private static void assertCutsRefusedBefore(byte[] file, int needed) {
        int[] whole = DicomReader.read("whole.dcm", file).storedValues();
        for (int n = 0; n < file.length; n++) {
            byte[] cut = Arrays.copyOf(file, n);
            int at = n;
            if (n < needed) {
                assertThrows(CxrException.class, () -> DicomReader.read("cut.dcm", cut), () -> "cut at " + at);
            } else {
                assertArrayEquals(whole, DicomReader.read("cut.dcm", cut).storedValues(), "cut at " + at);
            }
        }
    }

    private static List<byte[]> shared() {
        List<byte[]> files = new ArrayList<>();
        if (Boolean.getBoolean("cxr.dicom.shared")) {
            Path folder = DicomTestSet.shared()
                    .orElseThrow(() -> new IllegalStateException("../shared/datasets/dicom is absent"));
            for (DicomTestSet.Entry e : DicomTestSet.entries(folder)) {
                byte[] b = DicomTestSet.bytes(e.path());
                if (b.length <= SHARED_MAX_BYTES) {
                    files.add(b);
                }
            }
        }
        return files;
    }

    @Test
    void randomDamageEndsInAnImageOrOneLine() {
        List<byte[]> shared = shared();
        Duration limit = shared.isEmpty() ? HANG : HANG.multipliedBy(10L * Math.max(1, MUTATIONS_PER_FILE / 400));
        assertTimeoutPreemptively(limit, () -> {
            List<byte[]> files = handMade();
            files.addAll(bundled());
            files.addAll(shared);
            SplittableRandom r = new SplittableRandom(20240516);
            for (int f = 0; f < files.size(); f++) {
                byte[] original = files.get(f);
                for (int m = 0; m < MUTATIONS_PER_FILE; m++) {
                    byte[] b = original.clone();
                    String how = damage(b, r);
                    try {
                        DicomImage img = DicomReader.read("damaged.dcm", b);
                        img.render();
                    } catch (CxrException expected) {
                        if (expected.getMessage().contains("\n")) {
                            fail("file " + f + ", " + how + ": a message of more than one line: "
                                    + expected.getMessage());
                        }
                    } catch (RuntimeException | StackOverflowError e) {
                        throw new AssertionError("file " + f + ", " + how + ": " + e, e);
                    }
                }
            }
        });
    }

    /** One to four damages: a byte set at random, or four bytes set to a huge length (FFFFFFxx, 7FFFxxxx). */
    private static String damage(byte[] b, SplittableRandom r) {
        StringBuilder how = new StringBuilder();
        if (r.nextInt(8) == 0) {
            int keep = r.nextInt(b.length);
            System.arraycopy(new byte[b.length - keep], 0, b, keep, b.length - keep); // a cut, zero-filled
            how.append("zeros from ").append(keep).append(' ');
        }
        int n = 1 + r.nextInt(4);
        for (int k = 0; k < n && b.length > 4; k++) {
            int at = r.nextInt(b.length - 4);
            if (r.nextBoolean()) {
                b[at] = (byte) r.nextInt(256);
                how.append("byte ").append(at).append(' ');
            } else {
                boolean undefined = r.nextBoolean();
                b[at] = (byte) r.nextInt(256);
                b[at + 1] = (byte) (undefined ? 0xFF : r.nextInt(256));
                b[at + 2] = (byte) 0xFF;
                b[at + 3] = (byte) (undefined ? 0xFF : 0x7F);
                how.append("length at ").append(at).append(' ');
            }
        }
        return how.toString().trim();
    }

    @Test
    void theBundledFilesAreFound() {
        Path folder = DicomTestSet.bundled();
        if (bundled().size() < 9) {
            fail("expected the bundled DICOM files in " + folder);
        }
    }
}
