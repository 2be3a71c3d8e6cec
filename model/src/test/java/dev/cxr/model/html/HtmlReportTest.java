package dev.cxr.model.html;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cxr.model.image.RgbImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** report.html as text: what it holds, what it escapes, what it refers to, how it picks and shrinks the images. */
class HtmlReportTest {
    @TempDir
    Path tmp;

    @Test
    void thePageIsSelfContainedAndEscapesTheData() throws Exception {
        ReportFixture f = ReportFixture.writeTo(tmp);
        Path file = tmp.resolve(HtmlReport.FILE);
        HtmlReport.write(file, f.page(tmp));
        String html = Files.readString(file);

        int disclaimer = html.indexOf("<p class=\"disclaimer\"");
        assertTrue(disclaimer > 0 && disclaimer < html.indexOf("<h1>"), "the disclaimer comes first");
        assertTrue(html.contains("Educational only: cxr is not a medical device"));
        assertFalse(html.contains("<script"), "no script element, neither the template's nor the data's");
        assertTrue(html.contains("&lt;script&gt;window.cxrInjected=1&lt;/script&gt;x.png"), "the file name as text");
        assertTrue(html.contains("&lt;script&gt;window.cxrInjected=2&lt;/script&gt;&lt;b&gt;bold?&lt;/b&gt;"));
        assertTrue(html.contains("a note with &lt;em&gt;markup&lt;/em&gt;"));
        assertFalse(html.contains("<img src=x"), "a skipped file's name is escaped too");
        assertTrue(html.contains("default-src 'none'; img-src data:"), "a CSP that allows no fetch and no script");

        // every reference to another resource is a data: URI (nothing from the disk or the network)
        Matcher m = Pattern.compile("(?:src|href)=\"([^\"]*)\"").matcher(html);
        int images = 0;
        while (m.find()) {
            String ref = m.group(1);
            assertTrue(ref.startsWith("data:image/") || ref.startsWith("#"), "a reference that is not inlined: " + ref);
            images += ref.startsWith("data:image/") && m.group(0).startsWith("src") ? 1 : 0;
        }
        // roc, calibration, plot; 3 misclassified, the 2 right covid and 3 right normal (one of them overlaid)
        assertEquals(3 + 8, images);
        assertTrue(html.contains("test overlay of &lt;normal&gt;"), "the overlaid image says so, escaped");
        assertTrue(html.contains(GalleryPictures.AS_READ_CAPTION), "the others say they are the image as read");
        assertTrue(Files.size(file) < 600_000, "small: " + Files.size(file) + " bytes");
        try (var files = Files.list(tmp)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().startsWith(".")), "no temporary file left");
        }
    }

    @Test
    void theGalleryShowsEveryMistakeAndTheMostConfidentRightOnes() {
        ReportFixture f = ReportFixture.writeTo(tmp);
        Page.Gallery g = ReportGallery.of(ReportFixture.CLASSES, f.report.predictions(), f.sources, f.overlays);
        List<String> paths = g.tiles().stream().map(Page.Tile::path).toList();
        // wrong: c1 (p normal .70), c2 (.55), n2 (p covid .65): most confidently wrong first
        assertEquals(
                List.of(
                        ReportFixture.SCRIPT_NAME,
                        "normal/n2.png",
                        "covid/c2.png",
                        "covid/c3.png",
                        "covid/c4.png",
                        "normal/n3.png",
                        ReportFixture.OVERLAID,
                        "normal/n4.png"),
                paths);
        assertEquals(
                List.of(true, true, true, false, false, false, false, false),
                g.tiles().stream().map(Page.Tile::wrong).toList());
        Page.Tile overlaid = g.tiles().get(6);
        assertEquals(ReportFixture.OVERLAY_CAPTION, overlaid.caption());
        assertEquals(224, overlaid.picture().width(), "an overlay of 224 pixels is not enlarged");
        assertEquals(224, overlaid.picture().height());
        assertTrue(overlaid.picture().src().startsWith("data:image/jpeg;base64,"));
        Page.Tile wide = g.tiles().get(2);
        assertEquals(
                List.of(Pictures.THUMBNAIL, Pictures.THUMBNAIL / 2),
                List.of(wide.picture().width(), wide.picture().height()),
                "600x300 keeps its aspect ratio");
        assertEquals("p(covid) 0.4500, p(normal) 0.5500", wide.probabilities());
        assertEquals(GalleryPictures.AS_READ_CAPTION, wide.caption());
    }

    @Test
    void anImageThatCannotBeReadAgainIsNamedNotDrawn() {
        ReportFixture f = ReportFixture.writeTo(tmp);
        List<dev.cxr.model.features.ImageSource> sources = new java.util.ArrayList<>(f.sources);
        sources.set(0, new dev.cxr.model.features.BytesSource(ReportFixture.SCRIPT_NAME, new byte[] {1, 2, 3}));
        Page.Tile t = ReportGallery.of(ReportFixture.CLASSES, f.report.predictions(), sources, GalleryPictures.AS_READ)
                .tiles()
                .get(0);
        assertNull(t.picture());
        assertNull(t.caption());
        assertTrue(t.missing().startsWith("cannot be shown: "), t.missing());
    }

    @Test
    void aPictureSourceThatFailsFallsBackToTheImageAsRead() {
        ReportFixture f = ReportFixture.writeTo(tmp);
        GalleryPictures failing = (s, p) -> {
            throw new dev.cxr.engine.CxrException("no overlay for " + s.name());
        };
        Page.Tile t = ReportGallery.of(ReportFixture.CLASSES, f.report.predictions(), f.sources, failing)
                .tiles()
                .get(1);
        assertEquals("normal/n2.png", t.path());
        assertTrue(t.picture() != null, "the image as read instead");
        assertEquals(GalleryPictures.AS_READ_CAPTION + "; no overlay for normal/n2.png", t.caption());
        assertNull(t.missing());
    }

    @Test
    void indentedNotesStayLaidOutAsInTheText() {
        List<Page.Block> blocks = ReportPages.notes(List.of("a", "b", "  fold  test", "  fold-1  <10>", "c"));
        assertEquals(
                List.of(
                        new Page.Text(List.of("a", "b"), false),
                        new Page.Text(List.of("  fold  test", "  fold-1  <10>"), true),
                        new Page.Text(List.of("c"), false)),
                blocks);
        String html = HtmlReport.render(new Page("t", "d", null, List.of(new Page.Section("s", "S", blocks))));
        assertTrue(html.contains("<pre>  fold  test\n  fold-1  &lt;10&gt;</pre>"), html);
        assertTrue(html.contains("<p>a</p>") && html.contains("<p>c</p>"), html);
    }

    @Test
    void shrinkingAveragesTheSourcePixelsEachCovers() {
        // 4x2 -> 2x1: each output pixel is the rounded mean of a 2x2 block
        byte[] px = new byte[4 * 2 * 3];
        int[] values = {10, 20, 200, 201, 30, 41, 100, 255};
        for (int i = 0; i < 8; i++) {
            px[i * 3] = (byte) values[i];
            px[i * 3 + 1] = (byte) (values[i] / 2);
            px[i * 3 + 2] = (byte) 7;
        }
        RgbImage small = Pictures.shrink(new RgbImage(4, 2, px), 2);
        assertEquals(2, small.width());
        assertEquals(1, small.height());
        // (10 + 20 + 30 + 41) / 4 = 25.25 -> 25; (200 + 201 + 100 + 255) / 4 = 189; halves: (5+10+15+20)/4 = 12.5 -> 13
        assertArrayEquals(new byte[] {25, 13, 7, (byte) 189, 94, 7}, small.pixels());
        RgbImage same = new RgbImage(3, 2, new byte[18]);
        assertTrue(Pictures.shrink(same, 3) == same, "an image within the size is kept as it is");
    }

    @Test
    void aPngFigureKnowsItsSize() throws Exception {
        ReportFixture.writeTo(tmp);
        Page.Figure fig = Pictures.png(tmp.resolve("plot.png"), "curves");
        assertEquals(800, fig.width());
        assertEquals(600, fig.height());
    }
}
