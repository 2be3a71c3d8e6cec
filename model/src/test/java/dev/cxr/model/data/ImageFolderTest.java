package dev.cxr.model.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cxr.engine.CxrException;
import dev.cxr.model.testing.Images;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderTest {
    @TempDir
    Path dir;

    @Test
    void scansClassFoldersSortedAndImagesByExtension() throws Exception {
        Images.bytes(dir.resolve("normal/b.JPG"), new byte[] {1});
        Images.bytes(dir.resolve("normal/a.png"), new byte[] {1});
        Images.bytes(dir.resolve("normal/notes.txt"), new byte[] {1});
        Images.bytes(dir.resolve("normal/.hidden.jpg"), new byte[] {1});
        Images.bytes(dir.resolve("covid/x.jpeg"), new byte[] {1});
        Images.bytes(dir.resolve("covid/y.jpg"), new byte[] {1});
        Images.bytes(dir.resolve("manifest.csv"), new byte[] {1});
        Files.createDirectories(dir.resolve(".git"));

        ImageFolder f = ImageFolder.scan(dir);
        assertEquals(List.of("covid", "normal"), f.classes());
        assertEquals(
                List.of("covid/x.jpeg", "covid/y.jpg", "normal/a.png", "normal/b.JPG"),
                f.samples().stream().map(Sample::relativePath).toList());
        assertArrayEquals(new int[] {0, 0, 1, 1}, f.labels());
        assertArrayEquals(new int[] {2, 2}, f.counts());
        f.requireTrainable("");
    }

    @Test
    void dicomFilesAreTakenByExtensionOrByContent() throws Exception {
        Path mr = dev.cxr.engine.testing.Resources.path("dicom/files/MR_small_RLE.dcm");
        byte[] dicom = Files.readAllBytes(mr);
        Images.bytes(dir.resolve("covid/a.dcm"), dicom);
        Images.bytes(dir.resolve("covid/IM0001"), dicom);
        Images.bytes(dir.resolve("covid/1.2.840.113619.2.55.3.40"), dicom); // named by UID: its "extension" is 40
        Images.bytes(dir.resolve("covid/notes"), "not an image".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        Images.bytes(dir.resolve("covid/scan.txt"), new byte[] {1});
        Images.bytes(dir.resolve("normal/b.DCM"), new byte[] {1}); // by extension, whatever it holds
        ImageFolder f = ImageFolder.scan(dir);
        assertEquals(
                List.of("covid/1.2.840.113619.2.55.3.40", "covid/IM0001", "covid/a.dcm", "normal/b.DCM"),
                f.samples().stream().map(Sample::relativePath).toList());
    }

    @Test
    void missingFolder() {
        CxrException e = assertThrows(CxrException.class, () -> ImageFolder.scan(dir.resolve("nope")));
        assertEquals(
                "dataset folder " + dir.resolve("nope") + " not found (expected one sub-folder per class,"
                        + " e.g. covid/ and normal/)",
                e.getMessage());
    }

    @Test
    void aFileInsteadOfAFolder() {
        Path file = Images.bytes(dir.resolve("data.zip"), new byte[] {1});
        assertTrue(assertThrows(CxrException.class, () -> ImageFolder.scan(file))
                .getMessage()
                .contains("is a file"));
    }

    @Test
    void noClassFolders() {
        Images.bytes(dir.resolve("a.jpg"), new byte[] {1});
        CxrException e = assertThrows(CxrException.class, () -> ImageFolder.scan(dir));
        assertTrue(e.getMessage().contains("has no class sub-folders"), e.getMessage());
    }

    @Test
    void oneClassOnly() {
        Images.bytes(dir.resolve("covid/a.jpg"), new byte[] {1});
        Images.bytes(dir.resolve("covid/b.jpg"), new byte[] {1});
        ImageFolder f = ImageFolder.scan(dir);
        CxrException e = assertThrows(CxrException.class, () -> f.requireTrainable(""));
        assertEquals(
                "dataset folder " + dir + " has only one class (covid): a classifier needs at least 2 class"
                        + " sub-folders",
                e.getMessage());
    }

    @Test
    void aClassWithFewerThanTwoImages() {
        Images.bytes(dir.resolve("covid/a.jpg"), new byte[] {1});
        Images.bytes(dir.resolve("covid/b.jpg"), new byte[] {1});
        Images.bytes(dir.resolve("normal/a.jpg"), new byte[] {1});
        Images.bytes(dir.resolve("other/readme.txt"), new byte[] {1});
        ImageFolder f = ImageFolder.scan(dir);
        CxrException e = assertThrows(CxrException.class, () -> f.requireTrainable(""));
        assertTrue(
                e.getMessage()
                        .startsWith("class 'normal' in " + dir + " has 1 image: a stratified split needs"
                                + " at least 2 per class"),
                e.getMessage());
        ImageFolder keepTwo = f.withSamples(f.samples().subList(0, 3));
        assertThrows(CxrException.class, () -> keepTwo.requireTrainable(""));
    }
}
