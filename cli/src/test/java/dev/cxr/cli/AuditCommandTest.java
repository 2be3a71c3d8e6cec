package dev.cxr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cxr.model.eval.Jackson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cxr audit} end to end on a small dataset: exit codes, the files, a bad image counted, one-line errors. */
class AuditCommandTest {
    @TempDir
    Path tmp;

    /**
     * Six bundled images, a truncated one, and a groups file that puts two COVID images in one
     * patient and a COVID and a normal image in another.
     */
    private Path dataset() throws Exception {
        Path data = CliRun.sixImages(tmp.resolve("data"));
        byte[] jpeg = Files.readAllBytes(data.resolve("normal/person525_bacteria_2216.jpeg"));
        Files.write(data.resolve("normal/cut-off.jpeg"), Arrays.copyOf(jpeg, 1500));
        Files.writeString(
                tmp.resolve("groups.csv"),
                "file,group\n"
                        + "auntminnie-b-2020_01_28_23_51_6665_2020_01_28_Vietnam_coronavirus.jpeg,p2\n"
                        + "covid/auntminnie-d-2020_01_28_23_51_6665_2020_01_28_Vietnam_coronavirus.jpeg,p2\n"
                        + "covid/nCoV-radiol.2020200269.fig1-day7.jpeg,p12\n"
                        + "normal/person1102_bacteria_3043.jpeg,k1\nnormal/person259_bacteria_1220.jpeg,k2\n"
                        + "normal/person525_bacteria_2216.jpeg,p12\nnormal/cut-off.jpeg,k4\n");
        return data;
    }

    @Test
    void auditsWritesAndCountsTheBadImage() throws Exception {
        Path data = dataset();
        Path out = tmp.resolve("audit");
        CliRun r = CliRun.of(
                "audit",
                data.toString(),
                "--groups",
                tmp.resolve("groups.csv").toString(),
                "--folds",
                "2",
                "--seed",
                "3",
                "--out",
                out.toString());
        assertEquals(0, r.exit(), r.toString());
        assertTrue(
                r.err()
                        .contains("cxr: warning: skipping " + data.resolve("normal/cut-off.jpeg")
                                + ": damaged or truncated"),
                r.err());
        assertTrue(r.err().contains("cxr: warning: skipped 1 of 7 images that could not be used"), r.err());
        assertTrue(r.out().startsWith("cxr audit: data (7 images)\nEducational only"), r.out());
        assertTrue(r.out().contains("\nverdict: "), r.out());
        assertTrue(r.out().contains("2 folds grouped by the groups file"), r.out());
        assertTrue(
                r.lastErrorLine()
                        .startsWith("cxr: wrote audit.txt, audit.json, baseline-roc.png,"
                                + " baseline-calibration.png and report.html to " + out.toAbsolutePath()),
                r.err());
        for (String f :
                new String[] {"audit.txt", "audit.json", "baseline-roc.png", "baseline-calibration.png", "report.html"
                }) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
        String html = Files.readString(out.resolve("report.html"));
        String verdict = r.out()
                .lines()
                .filter(l -> l.startsWith("verdict: "))
                .findFirst()
                .orElseThrow()
                .substring(9);
        String onPage = html.substring(
                html.indexOf("<p class=\"verdict\""), html.indexOf("</p>", html.indexOf("<p class=\"verdict\"")));
        assertTrue(
                onPage.contains(
                        verdict.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")),
                "the audit's verdict on its page: " + onPage);
        assertFalse(html.contains("p12"), "no group ids (patient ids) on the page");
        assertEquals(r.out(), Files.readString(out.resolve("audit.txt")));
        JsonNode json = Jackson.mapper().readTree(Files.readString(out.resolve("audit.json")));
        assertEquals(7, json.get("images").asInt());
        assertEquals(1, json.get("bad").size());
        assertEquals("normal/cut-off.jpeg", json.get("bad").get(0).get("path").asText());
        assertEquals(6, json.get("facts").size());
        assertTrue(json.get("groups").get("used").asBoolean());
        assertEquals(4, json.get("groups").get("groups").asInt(), "p2, p12, k1, k2; k4 was the bad image's");
        assertEquals(1, json.get("groups").get("in_several_classes").asInt());
        assertEquals(
                "[\"covid/nCoV-radiol.2020200269.fig1-day7.jpeg\",\"normal/person525_bacteria_2216.jpeg\"]",
                json.get("groups").get("in_several_classes_paths").toString());
        assertFalse(
                Files.readString(out.resolve("audit.json")).contains("p12"),
                "no group ids (patient ids) in the output");
        assertTrue(
                r.out()
                        .contains("1 group(s) in more than one class, with these images:\n"
                                + "    covid/nCoV-radiol.2020200269.fig1-day7.jpeg\n"),
                r.out());
        // without groups the 2 folds may split patient p2; grouped they may not
        JsonNode grouped = json.get("splits").get(1);
        assertTrue(grouped.get("grouped").asBoolean());
        assertEquals(0, grouped.get("group_leakage").get("leaked_images").asInt());
        assertEquals(2, json.get("baseline").get("folds").asInt());
        try (var files = Files.list(out)) {
            // the folder's lock stays (removing it would open a race between two later runs); nothing else hidden does
            assertTrue(
                    files.map(p -> p.getFileName().toString())
                            .filter(n -> !n.equals(OutputFolder.LOCK))
                            .noneMatch(n -> n.startsWith(".")),
                    "no temporary files left");
        }
    }

    private static void assertOneLine(CliRun r, int exit, String line) {
        assertEquals(exit, r.exit(), r.toString());
        assertEquals(line, r.lastErrorLine());
        assertFalse(r.err().contains("\tat "), "no stack trace without --verbose: " + r.err());
    }

    @Test
    void mistakesEndInOneLine() throws Exception {
        Path data = dataset();
        Path out = tmp.resolve("never");
        String d = data.toString();
        String o = out.toString();
        assertOneLine(CliRun.of("audit", d, "--folds", "1", "--out", o), 1, "cxr: --folds must be at least 2, got 1");
        assertOneLine(
                CliRun.of("audit", d, "--test-split", "1.5", "--out", o),
                1,
                "cxr: --test-split must be a fraction between 0 and 1 (exclusive), got 1.5");
        assertOneLine(
                CliRun.of("audit", d, "--test-split", "0.2", "--folds", "3", "--out", o),
                1,
                "cxr: give --test-split or --folds, not both: the audit checks one kind of split");
        assertOneLine(
                CliRun.of("audit", d, "--seed", "-1", "--out", o),
                1,
                "cxr: --seed must be between 0 and 4294967295 (numpy's range), got -1");
        Path missing = tmp.resolve("nope");
        assertOneLine(
                CliRun.of("audit", missing.toString(), "--out", o),
                1,
                "cxr: dataset folder " + missing
                        + " not found (expected one sub-folder per class, e.g. covid/ and normal/)");
        assertOneLine(
                CliRun.of("audit", d, "--groups", tmp.resolve("none.csv").toString(), "--out", o),
                1,
                "cxr: groups file " + tmp.resolve("none.csv") + " not found");
        Path partial = Files.writeString(tmp.resolve("partial.csv"), "file,group\nnormal/cut-off.jpeg,k4\n");
        CliRun r = CliRun.of("audit", d, "--groups", partial.toString(), "--out", o);
        assertEquals(1, r.exit());
        assertTrue(
                r.lastErrorLine().startsWith("cxr: groups file " + partial + " gives no group for 6 of the 7 images"),
                r.err());
        assertFalse(Files.exists(out), "a refused audit leaves no output folder");
        CliRun usage = CliRun.of("audit", d, "--folds", "many");
        assertEquals(Main.EXIT_USAGE, usage.exit());
        assertTrue(usage.err().contains("'many' is not an int"), usage.err());
        assertEquals(0, CliRun.of("audit", "--help").exit());
    }

    private static JsonNode json(Path out) throws Exception {
        return Jackson.mapper().readTree(Files.readString(out.resolve("audit.json")));
    }
}
