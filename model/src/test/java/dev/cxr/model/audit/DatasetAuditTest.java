package dev.cxr.model.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cxr.engine.CxrException;
import dev.cxr.model.eval.BinaryEvaluation;
import dev.cxr.model.eval.Jackson;
import dev.cxr.model.image.RgbImage;
import dev.cxr.model.testing.Images;
import dev.cxr.model.testing.Repo;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetAuditTest {
    @TempDir
    Path tmp;

    private static final List<String> QUIET = new ArrayList<>();

    private static AuditResult audit(Path data, AuditConfig config) {
        return DatasetAudit.run(data, config, QUIET::add);
    }

    /** Six bundled images and the planted copies below. */
    private Path planted() throws Exception {
        Path data = Repo.subset(tmp.resolve("planted"), Repo.SMALL_SIX);
        Path src = Repo.bundledDataset();
        // an exact copy in its own class
        Files.copy(src.resolve(Repo.SMALL_SIX.get(0)), data.resolve("covid/copy-of-b.jpeg"));
        // re-encoded at JPEG quality 40: other bytes, the same picture
        PlantedImages.reencoded(src.resolve(Repo.SMALL_SIX.get(2)), data.resolve("covid/reencoded.jpg"), 0.4f);
        // a smaller PNG of a normal image
        PlantedImages.resizedPng(src.resolve(Repo.SMALL_SIX.get(3)), data.resolve("normal/smaller.png"), 400);
        // a flipped label: a normal image copied into covid/
        Files.copy(src.resolve(Repo.SMALL_SIX.get(4)), data.resolve("covid/flipped.jpeg"));
        // and an image that cannot be read
        Images.truncatedJpeg(data.resolve("normal/broken.jpeg"), 2000);
        return data;
    }

    @Test
    void findsThePlantedDuplicatesAndTheBadImage() throws Exception {
        Path data = planted();
        AuditResult r = audit(data, new AuditConfig(null, null, 2, 7, AuditConfig.NEAR_DISTANCE));
        assertEquals(11, r.images());
        assertEquals(1, r.bad().size());
        assertEquals("normal/broken.jpeg", r.bad().get(0).path());
        assertTrue(r.bad().get(0).reason().contains("truncated"), r.bad().get(0).reason());
        assertEquals(10, r.facts().size());

        Duplicates d = r.duplicates();
        assertEquals(2, d.exact().size(), d.exact().toString());
        Duplicates.ExactDuplicate conflict = d.exact().stream()
                .filter(e -> e.kind().equals(Duplicates.ACROSS_CLASSES))
                .findFirst()
                .orElseThrow();
        assertEquals(List.of("covid/flipped.jpeg", "normal/person259_bacteria_1220.jpeg"), conflict.paths());
        assertEquals(List.of("covid", "normal"), conflict.classes());
        Duplicates.ExactDuplicate copy = d.exact().stream()
                .filter(e -> e.kind().equals(Duplicates.WITHIN_CLASS))
                .findFirst()
                .orElseThrow();
        assertEquals(
                List.of(
                        "covid/auntminnie-b-2020_01_28_23_51_6665_2020_01_28_Vietnam_coronavirus.jpeg",
                        "covid/copy-of-b.jpeg"),
                copy.paths());

        assertEquals(2, d.near().size(), d.near().toString());
        assertEquals(
                "covid/nCoV-radiol.2020200269.fig1-day7.jpeg", d.near().get(0).first());
        assertEquals("covid/reencoded.jpg", d.near().get(0).second());
        assertEquals("normal/person1102_bacteria_3043.jpeg", d.near().get(1).first());
        assertEquals("normal/smaller.png", d.near().get(1).second());
        assertTrue(d.near().stream().allMatch(n -> n.kind().equals(Duplicates.WITHIN_CLASS)));

        ImageFacts png = r.facts().stream()
                .filter(f -> f.path().equals("normal/smaller.png"))
                .findFirst()
                .orElseThrow();
        assertEquals("PNG", png.format());
        assertEquals(400, png.width());
        ImageFacts gray = r.facts().stream()
                .filter(f -> f.path().startsWith("normal/person1102"))
                .findFirst()
                .orElseThrow();
        assertEquals(1, gray.channels());
        assertEquals(FileFacts.GRAY_FILE, gray.colourMode());
        assertEquals(8, gray.bitsPerSample());

        // 2 folds: every pair is across the folds or not; the text names what was found
        assertEquals(1, r.splits().size());
        SplitCheck folds = r.splits().get(0);
        assertEquals(List.of(5, 5), folds.testSizes());
        assertNull(folds.groupLeakage(), "no groups file: no leakage figure");
        String text = AuditText.of(r);
        assertTrue(
                text.contains(
                        "exact, across classes (label conflict): covid/flipped.jpeg = normal/person259_bacteria_1220.jpeg"),
                text);
        assertTrue(text.contains("skipped normal/broken.jpeg"), text);
        assertTrue(text.contains(AuditResult.disclaimerLine()), text);
        assertTrue(
                r.findings().stream().anyMatch(f -> f.startsWith("1 exact and 0 near duplicate(s) across classes")),
                r.findings().toString());
    }

    @Test
    void writesItsFilesAndIsReproducible() throws Exception {
        Path data = planted();
        AuditConfig config = new AuditConfig(null, 0.3, null, 3, AuditConfig.NEAR_DISTANCE);
        AuditResult a = audit(data, config);
        AuditResult b = audit(data, config);
        Path out = Files.createDirectories(tmp.resolve("out"));
        a.writeTo(out);
        for (String f : AuditResult.FILES) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
        JsonNode json = Jackson.mapper().readTree(Files.readString(out.resolve("audit.json")));
        assertEquals(11, json.get("images").asInt());
        assertEquals("normal/broken.jpeg", json.get("bad").get(0).get("path").asText());
        assertEquals(10, json.get("facts").size());
        assertTrue(json.get("baseline")
                .get("cross_validated")
                .get("pooled")
                .get("roc_auc")
                .get("method")
                .asText()
                .startsWith("DeLong"));
        assertTrue(json.get("disclaimer").asText().startsWith("Educational only"));
        List<String> absolute = new ArrayList<>();
        json.findValues("path").forEach(v -> absolute.add(v.asText()));
        json.findValues("paths").forEach(v -> v.forEach(p -> absolute.add(p.asText())));
        json.findValues("reason").forEach(v -> absolute.add(v.asText()));
        assertTrue(
                absolute.size() > 10 && absolute.stream().noneMatch(p -> p.contains(data.toString())),
                "paths relative to the dataset only: " + absolute);
        assertEquals(data.toString(), json.get("dataset").asText());
        ObjectNode ja = (ObjectNode) Jackson.mapper().readTree(Jackson.write(a));
        ObjectNode jb = (ObjectNode) Jackson.mapper().readTree(Jackson.write(b));
        ja.remove("seconds");
        jb.remove("seconds");
        assertEquals(ja, jb, "the same audit twice: the same numbers, but for the time");
    }

    /** Two classes from two sources: small RGB JPEGs with a red mark against large gray PNGs. */
    @Test
    void theMetadataBaselineSeesAConfoundedSetAndNotAFairOne() throws Exception {
        Path confounded = tmp.resolve("confounded");
        Path fair = tmp.resolve("fair");
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < 14; i++) {
            RgbImage a = PlantedImages.chest(200 + r.nextInt(80), 180 + r.nextInt(60), 100 + i);
            BufferedImage rgb = PlantedImages.buffered(a, false);
            for (int y = 5; y < 25; y++) {
                for (int x = 5; x < 40; x++) {
                    rgb.setRGB(x, y, 0xdd2020); // an arrow
                }
            }
            PlantedImages.jpeg(rgb, confounded.resolve("covid/c" + i + ".jpg"), 0.8f);
            RgbImage b = PlantedImages.chest(380 + r.nextInt(80), 380 + r.nextInt(60), 200 + i);
            PlantedImages.png(PlantedImages.buffered(b, true), confounded.resolve("normal/n" + i + ".png"));
            // the fair set: both classes drawn from one source
            for (String cls : List.of("covid", "normal")) {
                RgbImage f = PlantedImages.chest(220 + r.nextInt(200), 200 + r.nextInt(200), r.nextLong());
                boolean png = r.nextBoolean();
                BufferedImage img = PlantedImages.buffered(f, r.nextBoolean());
                Path to = fair.resolve(cls + "/" + cls.charAt(0) + i + (png ? ".png" : ".jpg"));
                if (png) {
                    PlantedImages.png(img, to);
                } else {
                    PlantedImages.jpeg(img, to, 0.5f + 0.4f * r.nextFloat());
                }
            }
        }
        AuditResult c = audit(confounded, AuditConfig.defaults());
        BinaryEvaluation ce = c.baseline().crossValidated().pooled();
        assertEquals(28, ce.images());
        assertTrue(ce.rocAuc().auc() >= 0.95, "confounded: AUC " + ce.rocAuc().auc());
        assertTrue(ce.accuracy().successes() >= 26, "confounded: " + ce.accuracy());
        assertTrue(c.verdict().startsWith("file metadata alone tells the classes apart"), c.verdict());
        assertEquals(14, (int) c.perClass().get("covid").colourModes().get(FileFacts.RGB_COLOUR));
        assertEquals(14, (int) c.perClass().get("normal").formats().get("PNG"));

        AuditResult f = audit(fair, AuditConfig.defaults());
        double auc = f.baseline().crossValidated().pooled().rocAuc().auc();
        assertTrue(auc < 0.8, "one source for both classes: AUC " + auc);
        assertTrue(!f.verdict().startsWith("file metadata alone tells the classes apart"), f.verdict());
    }

    @Test
    void theBundledDataset() {
        Path data = Repo.bundledDataset();
        AuditResult r =
                audit(data, new AuditConfig(data.resolve("groups.csv"), 0.2, null, 42, AuditConfig.NEAR_DISTANCE));
        assertEquals(50, r.facts().size());
        assertTrue(r.bad().isEmpty());
        assertTrue(
                r.duplicates().exact().isEmpty() && r.duplicates().near().isEmpty(),
                r.duplicates().toString());
        assertEquals(37, r.groups().groups());
        assertEquals(2, r.splits().size());
        assertEquals(
                3, r.splits().get(0).groupLeakage().leakedImages(), "the tutorial's split: 3 of 5 COVID test images");
        assertEquals(3, (int) r.splits().get(0).groupLeakage().leakedPerClass().get("covid"));
        assertEquals(0, r.splits().get(1).groupLeakage().leakedImages(), "the grouped split");
        assertTrue(r.splits().get(1).grouped());
        // 23 of the 25 normal files are stored gray, no COVID file but one: the baseline needs nothing else
        assertEquals(23, (int) r.perClass().get("normal").colourModes().get(FileFacts.GRAY_FILE));
        assertEquals(1, (int) r.perClass().get("covid").colourModes().get(FileFacts.GRAY_FILE));
        BinaryEvaluation e = r.baseline().crossValidated().pooled();
        assertTrue(r.baseline().grouped());
        assertTrue(e.rocAuc().auc() >= 0.95, "AUC " + e.rocAuc().auc());
        assertTrue(r.verdict().startsWith("file metadata alone tells the classes apart with AUC"), r.verdict());
        assertTrue(
                r.findings()
                        .contains("cxr train's split without --groups: 3 of its 10 test images share a group"
                                + " with training (3 of 5 covid); no duplicate has a copy on the other side"),
                r.findings().toString());
    }

    @Test
    void aGroupedSplitTheGroupsDoNotAllowIsAFindingNotAFailure() throws Exception {
        Path data = Repo.subset(tmp.resolve("one-patient"), Repo.SMALL_SIX);
        Path groups = Files.writeString(
                tmp.resolve("g.csv"),
                "file,group\n"
                        + Repo.SMALL_SIX.stream()
                                .map(p -> p + "," + (p.startsWith("covid/") ? "one" : p))
                                .reduce("", (a, b) -> a + b + "\n"));
        AuditResult r = audit(data, new AuditConfig(groups, 0.3, null, 42, AuditConfig.NEAR_DISTANCE));
        assertEquals(1, r.splits().size(), "cxr train's split is still checked");
        int covidTests = r.splits().get(0).testPerClass().get("covid");
        assertTrue(covidTests >= 1);
        assertEquals(
                covidTests,
                (int) r.splits().get(0).groupLeakage().leakedPerClass().get("covid"),
                "every COVID test image shares the one COVID patient with training");
        assertTrue(
                r.findings().stream()
                        .anyMatch(f -> f.startsWith("no split grouped by the groups file could be made")
                                && f.contains("class 'covid' (3 images) cannot be put on both sides")),
                r.findings().toString());
        assertNull(r.baseline(), "one COVID patient and 3 Kaggle ones: too few groups for 5 folds");
        assertTrue(
                r.baselineNote().startsWith("not run: 5 folds need at least 5 groups, there are 4"), r.baselineNote());
    }

    @Test
    void configurationMistakesAreOneLine() {
        assertEquals("--folds must be at least 2, got 1", assertThrowsCxr(() -> new AuditConfig(null, null, 1, 42, 4)));
        assertEquals(
                "--test-split must be a fraction between 0 and 1 (exclusive), got 1.5",
                assertThrowsCxr(() -> new AuditConfig(null, 1.5, null, 42, 4)));
        assertEquals(
                "give --test-split or --folds, not both: the audit checks one kind of split",
                assertThrowsCxr(() -> new AuditConfig(null, 0.2, 5, 42, 4)));
        assertEquals(
                "--seed must be between 0 and 4294967295 (numpy's range), got -1",
                assertThrowsCxr(() -> new AuditConfig(null, null, null, -1, 4)));
    }

    private static String assertThrowsCxr(org.junit.jupiter.api.function.Executable e) {
        return org.junit.jupiter.api.Assertions.assertThrows(CxrException.class, e)
                .getMessage();
    }
}
