package dev.cxr.model.image.dicom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cxr.engine.CxrException;
import dev.cxr.model.image.ImageDecoder;
import dev.cxr.model.image.RgbImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every file of the DICOM test set decodes to its reference or is refused for the reason its
 * manifest row names: the shared set ({@code ../shared/datasets/dicom}, skipped where it is absent)
 * and the small copy in the test resources, which a fresh clone has.
 */
class DicomTestSetTest {
    /**
     * Stored values of a lossy syntax may differ by this much from the references (pydicom with
     * Pillow/OpenJPEG): jai-imageio's JPEG 2000 decoder rounds the lossy RG3_J2KI differently in
     * 1,344 of its 3.1 million pixels. Lossless syntaxes must match exactly.
     */
    private static final int LOSSY_STORED_TOLERANCE = 1;
    /** Renderings within one grey level: dcmtk itself differs from the rule by 1 where 255 * y is an integer. */
    private static final int RENDER_TOLERANCE = 1;

    static Stream<DicomTestSet.Entry> shared() {
        Optional<Path> folder = DicomTestSet.shared();
        return folder.map(f -> DicomTestSet.entries(f).stream()).orElseGet(() -> Stream.of((DicomTestSet.Entry) null));
    }

    static Stream<DicomTestSet.Entry> bundled() {
        return DicomTestSet.entries(DicomTestSet.bundled()).stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shared")
    void sharedSet(DicomTestSet.Entry e) {
        assumeTrue(e != null, "../shared/datasets/dicom is absent (a fresh clone has only the bundled copy): skipping");
        check(e);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bundled")
    void bundledCopy(DicomTestSet.Entry e) {
        check(e);
    }

    @Test
    void bundledCopyCoversEveryOutcome() {
        List<String> expected = bundled().map(DicomTestSet.Entry::expected).toList();
        for (String kind : List.of(
                "decode",
                "refuse: not a DICOM file",
                "refuse: no pixel data",
                "refuse: truncated",
                "refuse: multi-frame",
                "refuse: unsupported transfer syntax",
                "refuse or decode: 12-bit lossy JPEG")) {
            assertTrue(
                    expected.stream().anyMatch(x -> x.startsWith(kind)),
                    kind + " missing from the bundled copy: " + expected);
        }
    }

    private static void check(DicomTestSet.Entry e) {
        byte[] bytes = DicomTestSet.bytes(e.path());
        assertEquals(
                e.sha256(),
                DicomTestSet.sha256(bytes),
                e.file() + ": the test file is not the one the manifest describes");
        String expected = e.expected();
        if (expected.equals("decode")) {
            compare(e, DicomReader.read(e.path()));
        } else if (expected.startsWith("refuse or decode: ")) {
            DicomImage img;
            try {
                img = DicomReader.read(e.path());
            } catch (CxrException refused) {
                assertRefusal(e, refused, expected.substring("refuse or decode: ".length()));
                return;
            }
            compare(e, img);
        } else if (expected.startsWith("refuse: ")) {
            CxrException refused = assertThrows(CxrException.class, () -> DicomReader.read(e.path()));
            assertRefusal(e, refused, expected.substring("refuse: ".length()));
            // the image reader of the rest of cxr refuses it in the same words
            CxrException viaDecoder = assertThrows(CxrException.class, () -> ImageDecoder.read(e.path()));
            assertEquals(refused.getMessage(), viaDecoder.getMessage());
        } else {
            fail(e.file() + ": unknown expected outcome '" + expected + "'");
        }
    }

    /** The message names the file, is one line, and says the manifest's reason in cxr's words. */
    private static void assertRefusal(DicomTestSet.Entry e, CxrException refused, String reason) {
        String m = refused.getMessage();
        assertTrue(m.startsWith(e.path() + ": "), "names the file: " + m);
        assertFalse(m.contains("\n"), "one line: " + m);
        for (String phrase : phrasesFor(reason)) {
            assertTrue(
                    m.contains(phrase),
                    e.file() + ": '" + m + "' should say '" + phrase + "' (manifest: " + reason + ")");
        }
    }

    /** What a refusal must say for each reason the manifest gives. */
    static List<String> phrasesFor(String reason) {
        List<String> phrases = new ArrayList<>();
        if (reason.startsWith("unsupported transfer syntax ")) {
            phrases.add(reason); // the syntax's name as pydicom names it
        } else if (reason.startsWith("truncated: pixel data has ")) {
            phrases.add("truncated");
            phrases.add(reason.substring("truncated: ".length()));
        } else if (reason.startsWith("multi-frame (")) {
            phrases.add("multi-frame image (" + reason.substring("multi-frame (".length()));
        } else if (reason.startsWith("12-bit lossy JPEG")) {
            phrases.add("12-bit lossy JPEG");
        } else if (reason.startsWith("truncated")) {
            phrases.add("truncated");
        } else {
            phrases.add(reason); // not a DICOM file, no pixel data, float pixel data
        }
        return phrases;
    }

    private static void compare(DicomTestSet.Entry e, DicomImage img) {
        DicomTestSet.Npy ref = DicomTestSet.npy(e.folder().resolve("reference").resolve(e.referenceNpy()));
        int[] shape = img.samples() == 1
                ? new int[] {img.height(), img.width()}
                : new int[] {img.height(), img.width(), img.samples()};
        assertArrayEquals(ref.shape(), shape, e.file() + ": shape");
        int[] stored = img.storedValues();
        int maxDiff = 0;
        int differing = 0;
        for (int i = 0; i < stored.length; i++) {
            int d = Math.abs(stored[i] - ref.values()[i]);
            maxDiff = Math.max(maxDiff, d);
            differing += d > 0 ? 1 : 0;
        }
        int allowed = e.lossy() ? LOSSY_STORED_TOLERANCE : 0;
        assertTrue(
                maxDiff <= allowed,
                e.file() + ": stored values differ by up to " + maxDiff + " (in " + differing + " pixels), allowed "
                        + allowed);

        Path png = e.folder().resolve("reference").resolve(e.referencePng());
        int[] want = DicomTestSet.png(png);
        int bands = DicomTestSet.pngBands(png);
        RgbImage got = img.render();
        assertEquals(img.width(), got.width());
        assertEquals(img.height(), got.height());
        int renderDiff = 0;
        for (int i = 0; i < img.width() * img.height(); i++) {
            for (int c = 0; c < 3; c++) {
                int w = want[i * bands + (bands == 1 ? 0 : c)];
                renderDiff = Math.max(renderDiff, Math.abs((got.pixels()[i * 3 + c] & 0xFF) - w));
            }
        }
        assertTrue(renderDiff <= RENDER_TOLERANCE, e.file() + ": rendering differs by up to " + renderDiff);
        // what the rest of cxr reads is this rendering
        assertArrayEquals(got.pixels(), ImageDecoder.read(e.path()).pixels(), e.file() + ": ImageDecoder.read");
    }
}
