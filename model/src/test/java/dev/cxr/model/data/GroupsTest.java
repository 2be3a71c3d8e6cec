package dev.cxr.model.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cxr.engine.CxrException;
import dev.cxr.model.testing.Repo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GroupsTest {
    @TempDir
    Path tmp;

    private static final List<Sample> SAMPLES = List.of(
            new Sample(Path.of("covid/a.jpeg"), "covid/a.jpeg", 0),
            new Sample(Path.of("covid/b.jpeg"), "covid/b.jpeg", 0),
            new Sample(Path.of("normal/b.jpeg"), "normal/b.jpeg", 1),
            new Sample(Path.of("normal/c,d.jpeg"), "normal/c,d.jpeg", 1));

    private Path file(String text) throws Exception {
        Path f = tmp.resolve("groups-" + System.nanoTime() + ".csv");
        Files.writeString(f, text);
        return f;
    }

    private String error(String text) throws Exception {
        Path f = file(text);
        return assertThrows(CxrException.class, () -> Groups.read(f, SAMPLES))
                .getMessage()
                .replace(f.toString(), "G");
    }

    @Test
    void readsPathsBareNamesQuotesAndComments() throws Exception {
        Path f = file("\ufeff# made by hand\nid,group,file\n1, p1 ,covid/a.jpeg\n\n2,p1,./covid/b.jpeg\n"
                + "3,\"p 2\",normal\\b.jpeg\n4,p3,\"c,d.jpeg\"\n");
        Groups g = Groups.read(f, SAMPLES);
        assertEquals(List.of("p1", "p1", "p 2", "p3"), g.ids());
        assertEquals(3, g.count());
        assertTrue(g.fromFile());
        assertEquals(f, g.source());
        Groups kept = g.select(SAMPLES, List.of(SAMPLES.get(3), SAMPLES.get(0)));
        assertEquals(List.of("p3", "p1"), kept.ids());
        Groups own = Groups.perImage(SAMPLES);
        assertEquals(4, own.count());
        assertFalse(own.fromFile());
    }

    @Test
    void oneLineForEveryMistake() throws Exception {
        assertEquals(
                "groups file G is empty: expected a header 'file,group' and one row per image", error("# nothing\n"));
        assertEquals(
                "groups file G, line 1: expected a header with the columns file and group, got 'path,patient'",
                error("path,patient\ncovid/a.jpeg,p\n"));
        assertEquals(
                "groups file G, line 3: expected 2 fields as in the header, got 1",
                error("file,group\ncovid/a.jpeg,p\ncovid/b.jpeg\n"));
        assertEquals("groups file G, line 2: no group given for covid/a.jpeg", error("file,group\ncovid/a.jpeg, \n"));
        assertEquals("groups file G, line 2: the file field is empty", error("file,group\n,p\n"));
        assertEquals(
                "groups file G, line 2: no image covid/zz.jpeg in the dataset (give paths relative to the dataset,"
                        + " such as covid/x.jpeg, or bare file names)",
                error("file,group\ncovid/zz.jpeg,p\n"));
        assertEquals(
                "groups file G, line 3: covid/a.jpeg is listed twice (first on line 2)",
                error("file,group\ncovid/a.jpeg,p\na.jpeg,q\n"));
        assertEquals(
                "groups file G, line 2: the bare name b.jpeg matches 2 images (covid/b.jpeg, normal/b.jpeg):"
                        + " give the path relative to the dataset",
                error("file,group\nb.jpeg,p\n"));
        assertEquals("groups file G, line 2: a quoted field is not closed", error("file,group\n\"covid/a.jpeg,p\n"));
        assertEquals(
                "groups file G gives no group for 2 of the 4 images (covid/b.jpeg, normal/c,d.jpeg): every image"
                        + " needs one",
                error("file,group\ncovid/a.jpeg,p\nnormal/b.jpeg,q\n"));
        Path missing = tmp.resolve("none.csv");
        assertEquals(
                "groups file " + missing + " not found",
                assertThrows(CxrException.class, () -> Groups.read(missing, SAMPLES))
                        .getMessage());
        Path binary = tmp.resolve("bin.csv");
        Files.write(binary, new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1});
        assertTrue(assertThrows(CxrException.class, () -> Groups.read(binary, SAMPLES))
                .getMessage()
                .endsWith("is not UTF-8 text (a CSV of file,group is expected)"));
    }

    @Test
    void theBundledGroupsFileHasOnePatientPerGroup() {
        ImageFolder folder = ImageFolder.scan(Repo.bundledDataset());
        Groups g = Groups.read(Repo.bundledDataset().resolve("groups.csv"), folder.samples());
        assertEquals(50, g.ids().size());
        // 12 upstream patient ids among the 25 COVID images (patients 2, 13 and 19 with 4 each), 25 Kaggle patients
        assertEquals(37, g.count());
        assertEquals(4, (int) g.sizes().get("covid-chestxray-dataset:19"));
        assertEquals(4, (int) g.sizes().get("covid-chestxray-dataset:2"));
        assertEquals(6, g.sizes().values().stream().filter(n -> n > 1).count());
    }

    @Test
    void theTutorialSplitTestsThreeCovidImagesOnPatientsItTrainedOn() {
        ImageFolder folder = ImageFolder.scan(Repo.bundledDataset());
        Groups g = Groups.read(Repo.bundledDataset().resolve("groups.csv"), folder.samples());
        StratifiedSplit.Indices split = StratifiedSplit.split(folder.labels(), 2, 0.2, 42);
        GroupLeakage leak = GroupLeakage.of(split, g, folder.samples(), folder.classes());
        assertEquals(10, leak.testImages());
        assertEquals(3, leak.leakedImages());
        assertEquals(5, (int) leak.testPerClass().get("covid"));
        assertEquals(3, (int) leak.leakedPerClass().get("covid"));
        assertEquals(0, (int) leak.leakedPerClass().get("normal"));
        assertEquals(3, leak.sharedGroups(), "patients 6, 13 and 15");
        assertEquals(
                List.of(
                        "covid/lancet-case2a.jpg",
                        "covid/ryct.2020200034.fig5-day7.jpeg",
                        "covid/nejmoa2001191_f4.jpeg"),
                leak.leakedPaths());

        GroupLeakage none = GroupLeakage.of(
                GroupedSplit.split(folder.labels(), folder.classes(), g.array(), 0.2, 42),
                g,
                folder.samples(),
                folder.classes());
        assertEquals(0, none.leakedImages());
    }

    /** {@code --groups dicom}: each image's Patient ID, hashed; the hashes are SHA-256's as Python's hashlib gives them. */
    @Test
    void dicomGroupsAreHashedPatientIds() throws Exception {
        Path dir = Path.of(
                GroupsTest.class.getClassLoader().getResource("dicom/files").toURI());
        List<Sample> samples = List.of(
                new Sample(dir.resolve("MR_small_RLE.dcm"), "covid/MR_small_RLE.dcm", 0),
                new Sample(dir.resolve("SC_rgb.dcm"), "covid/SC_rgb.dcm", 0),
                new Sample(dir.resolve("MR_small_bigendian.dcm"), "normal/MR_small_bigendian.dcm", 1));
        Groups g = Groups.read(Path.of(Groups.DICOM), samples);
        // hashlib.sha256(b"4MR1").hexdigest()[:16], and of b"ID1": the Patient IDs of these pydicom files
        assertEquals(List.of("9435c3ae61f59cc2", "38dba034f94a84cd", "9435c3ae61f59cc2"), g.ids());
        assertEquals(2, g.count());
        assertTrue(g.fromFile());
        assertFalse(
                g.ids().stream().anyMatch(id -> id.contains("4MR1") || id.contains("ID1")), "no Patient ID in clear");

        // an image that cannot be placed (no Patient ID, or not DICOM) is refused, not made a group of its own
        Path jpeg;
        try (var files = Files.list(Repo.bundledDataset().resolve("covid"))) {
            jpeg = files.sorted().findFirst().orElseThrow();
        }
        List<Sample> withJpeg = List.of(samples.get(0), new Sample(jpeg, "covid/x.jpeg", 0));
        String message = assertThrows(CxrException.class, () -> Groups.read(Path.of("dicom"), withJpeg))
                .getMessage();
        assertEquals(
                "--groups dicom: 1 of 2 images have no DICOM Patient ID (the first: covid/x.jpeg); give a groups"
                        + " file (CSV with the columns file and group) instead",
                message);
        List<Sample> emptyId = List.of(new Sample(dir.resolve("emri_small.dcm"), "covid/emri_small.dcm", 0));
        assertTrue(assertThrows(CxrException.class, () -> Groups.read(Path.of("dicom"), emptyId))
                .getMessage()
                .contains("1 of 1 images have no DICOM Patient ID (the first: covid/emri_small.dcm)"));
    }
}
