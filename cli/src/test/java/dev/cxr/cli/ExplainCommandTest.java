package dev.cxr.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cxr.engine.backend.Backend;
import dev.cxr.engine.backend.cpu.ReferenceBackend;
import dev.cxr.model.classifier.Head;
import dev.cxr.model.classifier.ModelFile;
import dev.cxr.model.features.FrozenBase;
import dev.cxr.model.image.Preprocessing;
import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cxr explain} end to end on the narrow VGG16 fixture with a seeded head: an overlay PNG per
 * image and one heatmaps.h5 with a 14x14 float32 map per image, the same bytes on a second run; and
 * every bad input as one line and a non-zero exit.
 */
class ExplainCommandTest {
    @TempDir
    static Path tmp;

    private static Path model;
    private static Path images;

    @BeforeAll
    static void setUp() throws IOException {
        model = tmp.resolve("model.h5");
        try (Backend ref = new ReferenceBackend();
                FrozenBase base = FrozenBase.loadCorner(ref, CliRun.narrowWeights(), 4);
                Head head = Head.faithful(ref, base.channels(), 2, Head.DROPOUT, new SplittableRandom(1))) {
            head.initialize(new SplittableRandom(9));
            ModelFile.of(head, List.of("covid", "normal"), 224, Preprocessing.TUTORIAL, base, 9)
                    .write(model);
        }
        images = Files.createDirectories(tmp.resolve("images"));
        for (String f : List.of("covid/nCoV-radiol.2020200269.fig1-day7.jpeg", "normal/person525_bacteria_2216.jpeg")) {
            Path from = CliRun.repoFile("data/covid-xray-50/" + f);
            Files.copy(from, images.resolve(from.getFileName()));
        }
    }

    private static CliRun explain(String... extra) {
        String[] base = {
            "--device",
            "cpu",
            "explain",
            "--model",
            model.toString(),
            "--weights",
            CliRun.narrowWeights().toString()
        };
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return CliRun.of(args);
    }

    @Test
    void writesAnOverlayPerImageAndTheMapsInOneFileTheSameOnEveryRun() throws IOException {
        Path out = tmp.resolve("run1");
        CliRun r = explain("--out", out.toString(), images.toString());
        assertEquals(0, r.exit(), r.toString());
        assertEquals(2, r.out().lines().count(), r.out());
        try (Stream<Path> files = Files.list(out)) {
            assertEquals(
                    List.of(
                            OutputFolder.LOCK,
                            "heatmaps.h5",
                            "nCoV-radiol.2020200269.fig1-day7.jpeg.png",
                            "person525_bacteria_2216.jpeg.png"),
                    files.map(p -> p.getFileName().toString()).sorted().toList(),
                    "no temporary files left (the folder's lock stays, see OutputFolder)");
        }
        BufferedImage png =
                ImageIO.read(out.resolve("person525_bacteria_2216.jpeg.png").toFile());
        // the X-ray is 827 wide, 463 high: shown 512 x 287, its caption below
        assertEquals(512, png.getWidth(), "the longest side of the X-ray is 512");
        assertTrue(png.getHeight() > 287 + 60, "the caption below the picture: " + png.getHeight());
        float[][] first;
        try (HdfFile h5 = new HdfFile(out.resolve("heatmaps.h5"))) {
            Dataset ds = h5.getDatasetByPath("person525_bacteria_2216.jpeg");
            assertArrayEquals(new int[] {14, 14}, ds.getDimensions());
            assertEquals(float.class, ds.getJavaType());
            assertEquals("hirescam", ds.getAttribute("method").getData());
            assertTrue(List.of("covid", "normal")
                    .contains((String) ds.getAttribute("class").getData()));
            first = (float[][]) ds.getData();
            double inside = 0;
            for (int y = 0; y < 14; y++) {
                for (int x = 0; x < 14; x++) {
                    if (y >= 8 || x >= 8) {
                        assertEquals(0f, first[y][x], "HiResCAM is zero outside the corner: (" + y + "," + x + ")");
                    } else {
                        inside += first[y][x];
                    }
                }
            }
            assertTrue(inside > 0, "heat in the corner");
        }
        Path again = tmp.resolve("run2");
        assertEquals(0, explain("--out", again.toString(), images.toString()).exit());
        try (HdfFile h5 = new HdfFile(again.resolve("heatmaps.h5"))) {
            assertArrayEquals(
                    first,
                    (float[][])
                            h5.getDatasetByPath("person525_bacteria_2216.jpeg").getData(),
                    "the CPU gives the same map bit for bit");
        }
        assertArrayEquals(
                Files.readAllBytes(out.resolve("person525_bacteria_2216.jpeg.png")),
                Files.readAllBytes(again.resolve("person525_bacteria_2216.jpeg.png")),
                "and the same PNG");
    }

    @Test
    void gradCamOfAGivenClassIsWhatTheFileSays() throws IOException {
        Path out = tmp.resolve("grad");
        CliRun r = explain(
                "--out",
                out.toString(),
                "--method",
                "gradcam",
                "--class",
                "covid",
                images.resolve("person525_bacteria_2216.jpeg").toString());
        assertEquals(0, r.exit(), r.toString());
        try (HdfFile h5 = new HdfFile(out.resolve("heatmaps.h5"))) {
            Dataset ds = h5.getDatasetByPath("person525_bacteria_2216.jpeg");
            assertEquals("gradcam", ds.getAttribute("method").getData());
            assertEquals("covid", ds.getAttribute("class").getData());
        }
    }

    private static void assertOneLine(CliRun r, int exit, String line) {
        assertEquals(exit, r.exit(), r.toString());
        assertEquals(line, r.lastErrorLine(), r.toString());
        assertFalse(r.err().contains("\tat "), "no stack trace without --verbose: " + r.err());
    }

    @Test
    void badInputsAreOneLineAndANonZeroExit() throws IOException {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        Path out = tmp.resolve("bad-out");
        assertOneLine(
                explain("--out", out.toString(), empty.toString()),
                1,
                "cxr: no images found in [" + empty
                        + "] (images are .jpg, .jpeg, .png, .bmp, .tif, .dcm, or DICOM of any name)");
        assertOneLine(
                explain("--out", out.toString(), "--class", "pneumonia", images.toString()),
                1,
                "cxr: --class pneumonia: the model's classes are covid, normal (or predicted)");
        CliRun method = explain("--out", out.toString(), "--method", "saliency", images.toString());
        assertEquals(Main.EXIT_USAGE, method.exit(), method.toString());
        assertTrue(method.err().contains("unknown method 'saliency': use hirescam or gradcam"), method.err());
        assertFalse(Files.exists(out), "nothing written for a refused command");

        // a file that is not an image: its own line, the others still explained, exit 1
        Path mixed = Files.createDirectories(tmp.resolve("mixed"));
        Files.copy(images.resolve("person525_bacteria_2216.jpeg"), mixed.resolve("person525_bacteria_2216.jpeg"));
        Files.writeString(mixed.resolve("notes.jpg"), "not an image");
        Path mixedOut = tmp.resolve("mixed-out");
        CliRun bad = explain("--out", mixedOut.toString(), mixed.toString());
        assertEquals(1, bad.exit(), bad.toString());
        assertTrue(
                bad.err().lines().anyMatch(l -> l.startsWith("cxr: " + mixed.resolve("notes.jpg") + ": ")), bad.err());
        assertTrue(Files.exists(mixedOut.resolve("person525_bacteria_2216.jpeg.png")));
        assertTrue(Files.exists(mixedOut.resolve("heatmaps.h5")));
        assertFalse(Files.exists(mixedOut.resolve("notes.jpg.png")));

        Path onlyBad = Files.createDirectories(tmp.resolve("only-bad"));
        Files.writeString(onlyBad.resolve("a.png"), "not an image");
        Path onlyBadOut = tmp.resolve("only-bad-out");
        CliRun none = explain("--out", onlyBadOut.toString(), onlyBad.toString());
        assertOneLine(none, 1, "cxr: none of the 1 images could be used");
        assertFalse(Files.exists(onlyBadOut), "no empty folder left behind");
    }
}
