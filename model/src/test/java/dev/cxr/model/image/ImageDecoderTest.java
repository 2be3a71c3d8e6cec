package dev.cxr.model.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cxr.engine.CxrException;
import dev.cxr.engine.testing.H5;
import dev.cxr.engine.testing.Resources;
import dev.cxr.model.testing.VggTestFiles;
import io.jhdf.HdfFile;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The decoder against OpenCV's imread on small images of every kind (8/16-bit, gray, RGB, RGBA,
 * gray+alpha, palettes, 1-bit, JPEG subsamplings, progressive, CMYK, EXIF orientations), made by
 * {@code images/make_images.py}; and one clear line for every file it cannot read.
 */
class ImageDecoderTest {
    private static final Path IMAGES =
            Resources.path("images/opencv-decoded.h5").getParent();

    static Stream<String> kinds() throws IOException {
        try (Stream<Path> files = Files.list(IMAGES)) {
            return files
                    .map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".png") || n.endsWith(".jpg"))
                    .sorted()
                    .toList()
                    .stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void everyKindDecodesAsOpenCvDoes(String name) {
        byte[] expected;
        int[] dims;
        try (HdfFile h5 = new HdfFile(IMAGES.resolve("opencv-decoded.h5"))) {
            expected = VggTestFiles.bytes(h5, name);
            dims = H5.dims(h5, name);
        }
        RgbImage img = ImageDecoder.read(IMAGES.resolve(name));
        assertEquals(dims[1], img.width(), name + " width");
        assertEquals(dims[0], img.height(), name + " height");
        assertArrayEquals(expected, img.pixels(), name + ": pixels differ from cv2.imread");
    }

    /** Bytes in memory (a Spark partition's files) decode exactly as the same bytes in a file. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void bytesDecodeAsTheirFileDoes(String name) throws IOException {
        Path file = IMAGES.resolve(name);
        RgbImage fromFile = ImageDecoder.read(file);
        RgbImage fromBytes = ImageDecoder.read("upload/" + name, Files.readAllBytes(file));
        assertEquals(fromFile.width(), fromBytes.width(), name);
        assertEquals(fromFile.height(), fromBytes.height(), name);
        assertArrayEquals(fromFile.pixels(), fromBytes.pixels(), name);
    }

    @Test
    void dicomBytesDecodeAsTheirFileDoesWhateverTheName() throws IOException {
        Path dcm = Resources.path("dicom/files/MR_small_RLE.dcm");
        byte[] bytes = Files.readAllBytes(dcm);
        RgbImage fromFile = ImageDecoder.read(dcm);
        assertArrayEquals(
                fromFile.pixels(), ImageDecoder.read("MR_small_RLE.dcm", bytes).pixels());
        assertArrayEquals(
                fromFile.pixels(), ImageDecoder.read("IM0001", bytes).pixels(), "DICOM content, no extension");
        assertTrue(ImageDecoder.isDicom("IM0001", bytes));
        assertTrue(ImageDecoder.isDicom("x.DCM", new byte[] {1, 2}));
        assertTrue(!ImageDecoder.isDicom("x.jpg", Files.readAllBytes(IMAGES.resolve("jpeg-gray.jpg"))));
    }

    /** Every refusal says the same from bytes as from the file, under the name given with the bytes. */
    @Test
    void bytesAreRefusedWithTheFilesMessages(@TempDir Path dir) throws IOException {
        byte[] jpeg = Files.readAllBytes(IMAGES.resolve("jpeg-rgb-420.jpg"));
        byte[] png = Files.readAllBytes(IMAGES.resolve("png-rgb16.png"));
        BufferedImage gif = new BufferedImage(4, 3, BufferedImage.TYPE_INT_RGB);
        ImageIO.write(gif, "gif", dir.resolve("x.gif").toFile());
        List<Path> bad = List.of(
                Files.write(dir.resolve("empty.jpg"), new byte[0]),
                Files.writeString(dir.resolve("notes.jpg"), "patient notes, not a picture\n"),
                Files.move(dir.resolve("x.gif"), dir.resolve("x.png")),
                Files.write(dir.resolve("cut.jpg"), Arrays.copyOf(jpeg, jpeg.length / 2)),
                Files.write(dir.resolve("cut.png"), Arrays.copyOf(png, png.length / 2)),
                Files.write(dir.resolve("huge.png"), pngHeaderOnly(100_000, 100_000)),
                Resources.path("dicom/files/not_dicom.dcm"),
                Resources.path("dicom/files/rtplan.dcm"),
                Resources.path("dicom/files/MR_truncated.dcm"));
        for (Path f : bad) {
            String fromFile =
                    assertThrows(CxrException.class, () -> ImageDecoder.read(f)).getMessage();
            byte[] bytes = Files.readAllBytes(f);
            String fromBytes = assertThrows(CxrException.class, () -> ImageDecoder.read(f.toString(), bytes))
                    .getMessage();
            assertEquals(fromFile, fromBytes, f.getFileName().toString());
        }
    }

    @Test
    void fixturesCoverEveryKindTheIssueNames() throws IOException {
        List<String> names = kinds().toList();
        for (String kind : List.of(
                "png-gray8",
                "png-gray16",
                "png-rgb8",
                "png-rgb16",
                "png-rgba8",
                "png-rgba16",
                "png-graya8",
                "png-palette8",
                "png-palette4",
                "png-palette-trns",
                "png-gray1",
                "jpeg-gray",
                "jpeg-rgb-420",
                "jpeg-cmyk",
                "jpeg-ycck",
                "jpeg-exif-orientation6",
                "png-exif-orientation6")) {
            assertTrue(names.stream().anyMatch(n -> n.startsWith(kind + ".")), kind + " fixture missing: " + names);
        }
    }

    @Test
    void jpegsGoThroughTwelveMonkeys() {
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName("jpeg");
        boolean found = false;
        while (readers.hasNext()) {
            found |= readers.next().getClass().getName().startsWith("com.twelvemonkeys.");
        }
        assertTrue(found, "the TwelveMonkeys JPEG reader is not registered with ImageIO (CMYK JPEGs would fail)");
    }

    @Test
    void sixteenBitSamplesKeepTheirHighByte() {
        // png-gray16's samples are v*257 + noise in [0,256], so >> 8 (not rounding) is visible in the data
        RgbImage img = ImageDecoder.read(IMAGES.resolve("png-gray16.png"));
        RgbImage eight = ImageDecoder.read(IMAGES.resolve("png-gray8.png"));
        assertEquals(eight.width(), img.width());
        int differs = 0;
        for (int i = 0; i < img.pixels().length; i++) {
            differs += img.pixels()[i] != eight.pixels()[i] ? 1 : 0;
        }
        assertTrue(differs > 0, "16-bit fixture must not equal the 8-bit one");
    }

    @Test
    void emptyFileIsOneLine(@TempDir Path dir) throws IOException {
        Path f = Files.write(dir.resolve("empty.jpg"), new byte[0]);
        assertFails(f, "empty file");
    }

    @Test
    void missingFileIsOneLine(@TempDir Path dir) {
        assertFails(dir.resolve("nothere.png"), "not found");
    }

    @Test
    void textWithAnImageNameIsOneLine(@TempDir Path dir) throws IOException {
        Path f = Files.writeString(dir.resolve("notes.jpg"), "patient notes, not a picture\n");
        assertFails(f, "neither JPEG, PNG nor DICOM");
    }

    @Test
    void otherFormatsAreNamed(@TempDir Path dir) throws IOException {
        BufferedImage img = new BufferedImage(4, 3, BufferedImage.TYPE_INT_RGB);
        img.setRGB(1, 1, 0x123456);
        Path f = dir.resolve("x.png");
        ImageIO.write(img, "gif", f.toFile());
        assertFails(f, "GIF");
    }

    @Test
    void truncatedJpegIsRefused(@TempDir Path dir) throws IOException {
        byte[] full = Files.readAllBytes(IMAGES.resolve("jpeg-rgb-420.jpg"));
        Path f = Files.write(dir.resolve("cut.jpg"), Arrays.copyOf(full, full.length / 2));
        assertFails(f, "truncated");
    }

    @Test
    void truncatedPngIsRefused(@TempDir Path dir) throws IOException {
        byte[] full = Files.readAllBytes(IMAGES.resolve("png-rgb16.png"));
        Path f = Files.write(dir.resolve("cut.png"), Arrays.copyOf(full, full.length / 2));
        assertFails(f, "truncated");
    }

    @Test
    void hugePngHeaderIsRefusedBeforeDecoding(@TempDir Path dir) throws IOException {
        Path f = Files.write(dir.resolve("huge.png"), pngHeaderOnly(100_000, 100_000));
        CxrException e = assertFails(f, "100000x100000");
        assertTrue(e.getMessage().contains("megapixels"), e.getMessage());
    }

    @Test
    void hugeJpegHeaderIsRefusedBeforeDecoding(@TempDir Path dir) throws IOException {
        byte[] jpeg = Files.readAllBytes(IMAGES.resolve("jpeg-gray.jpg"));
        int sof = indexOfMarker(jpeg, 0xC0);
        // SOF0: FF C0, length(2), precision(1), height(2), width(2)
        jpeg[sof + 5] = (byte) 0xEA;
        jpeg[sof + 6] = (byte) 0x60;
        jpeg[sof + 7] = (byte) 0xEA;
        jpeg[sof + 8] = (byte) 0x60;
        Path f = Files.write(dir.resolve("huge.jpg"), jpeg);
        assertFails(f, "60000x60000");
    }

    private static CxrException assertFails(Path file, String expectedPart) {
        CxrException e = assertThrows(CxrException.class, () -> ImageDecoder.read(file));
        assertTrue(VggTestFiles.oneLine(e.getMessage()), "one line: " + e.getMessage());
        assertTrue(e.getMessage().contains(file.toString()), "names the file: " + e.getMessage());
        assertTrue(e.getMessage().contains(expectedPart), "says '" + expectedPart + "': " + e.getMessage());
        return e;
    }

    private static int indexOfMarker(byte[] b, int marker) {
        for (int i = 0; i + 1 < b.length; i++) {
            if ((b[i] & 0xff) == 0xFF && (b[i + 1] & 0xff) == marker) {
                return i;
            }
        }
        throw new IllegalStateException("marker not found");
    }

    /** A PNG signature and IHDR claiming w x h, 8-bit RGB, and nothing else. */
    private static byte[] pngHeaderOnly(int w, int h) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        ByteArrayOutputStream chunk = new ByteArrayOutputStream();
        DataOutputStream c = new DataOutputStream(chunk);
        c.write("IHDR".getBytes(StandardCharsets.US_ASCII));
        c.writeInt(w);
        c.writeInt(h);
        c.write(new byte[] {8, 2, 0, 0, 0});
        byte[] body = chunk.toByteArray();
        CRC32 crc = new CRC32();
        crc.update(body);
        out.writeInt(body.length - 4);
        out.write(body);
        out.writeInt((int) crc.getValue());
        return bytes.toByteArray();
    }
}
