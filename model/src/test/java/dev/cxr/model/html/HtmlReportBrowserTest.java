package dev.cxr.model.html;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cxr.model.audit.AuditConfig;
import dev.cxr.model.audit.AuditResult;
import dev.cxr.model.audit.DatasetAudit;
import dev.cxr.model.testing.HeadlessChromium;
import dev.cxr.model.testing.Images;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * report.html in a real browser, Debian's headless Chromium (installed by .ci/run; the test skips
 * with a message where it is absent): the page loads with no console error, every image decodes,
 * a file name and a setting holding {@code <script>} show as text and run nothing, and a
 * screenshot of the whole page is written to {@code target/report-html/} for a person to look at.
 * About 3 s, most of it the browser's start.
 */
class HtmlReportBrowserTest {
    /** Evaluated in the page once it has loaded: what a person would see, as JSON. */
    private static final String INSPECT = "JSON.stringify({"
            + "images: Array.from(document.images).map(i => ({w: i.naturalWidth, h: i.naturalHeight, complete: i.complete})),"
            + "scripts: document.querySelectorAll('script').length,"
            + "injected: typeof window.cxrInjected,"
            + "first: document.querySelector('main').firstElementChild.id,"
            + "text: document.body.innerText,"
            + "tiles: document.querySelectorAll('.tile').length,"
            + "wrong: document.querySelectorAll('.tile.wrong').length})";

    private static HeadlessChromium browser;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startBrowser() throws Exception {
        Optional<Path> exe = HeadlessChromium.find();
        assumeTrue(
                exe.isPresent(),
                "Chromium not installed (Debian: apt-get install chromium; .ci/run installs it"
                        + " where it can, or set CXR_CHROMIUM): report.html is not checked in a browser here");
        browser = HeadlessChromium.start(exe.get(), 1280);
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void aClassifierReportLoadsCleanlyAndShowsTheScriptNameAsText() throws Exception {
        ReportFixture f = ReportFixture.writeTo(tmp);
        Path file = tmp.resolve(HtmlReport.FILE);
        HtmlReport.write(file, f.page(tmp));
        HeadlessChromium.Visit v = browser.visit(file, INSPECT);
        JsonNode page = v.evaluated();

        assertEquals("[]", v.errors().toString(), "no console error, exception or failed load");
        assertEquals(3 + 8, page.get("images").size(), "3 plots and 8 gallery images");
        for (JsonNode img : page.get("images")) {
            assertTrue(
                    img.get("complete").asBoolean()
                            && img.get("w").asInt() > 0
                            && img.get("h").asInt() > 0,
                    "every image decodes: " + page.get("images"));
        }
        assertEquals(0, page.get("scripts").asInt(), "no script element");
        assertEquals("undefined", page.get("injected").asText(), "the data's scripts did not run");
        String text = page.get("text").asText();
        assertTrue(text.contains("<script>window.cxrInjected=1</script>x.png"), "the file name shows as text");
        assertTrue(text.contains(ReportFixture.SCRIPT_SETTING), "the setting shows as text");
        assertTrue(text.contains("<img src=x onerror=alert(1)>.png"), "the skipped file's name shows as text");
        assertEquals("disclaimer", page.get("first").asText(), "the disclaimer is the first thing on the page");
        assertEquals(8, page.get("tiles").asInt());
        assertEquals(3, page.get("wrong").asInt());
        keep(v.screenshot(), "classifier-report.png");
    }

    @Test
    void anAuditReportLoadsCleanlyWithItsVerdict() throws Exception {
        Path data = tmp.resolve("data");
        for (int i = 0; i < 4; i++) {
            Images.png(data.resolve("covid/c" + i + ".png"), 64 + 8 * i, 64, i);
            Images.png(data.resolve("normal/n" + i + ".png"), 96, 80 + 4 * i, 10 + i);
        }
        // a copy of a covid image in normal/ (a label conflict), whose name the duplicates table shows
        Files.copy(data.resolve("covid/c0.png"), data.resolve("normal/<script>window.cxrInjected=3<!--.png"));
        Path out = Files.createDirectories(tmp.resolve("audit"));
        AuditResult r = DatasetAudit.run(
                data, new AuditConfig(null, null, 3, AuditConfig.DEFAULT_SEED, AuditConfig.NEAR_DISTANCE), s -> {});
        r.writeTo(out);
        Path file = out.resolve(HtmlReport.FILE);
        HtmlReport.write(file, AuditPages.of(r, out));
        HeadlessChromium.Visit v = browser.visit(file, INSPECT);
        JsonNode page = v.evaluated();

        assertEquals("[]", v.errors().toString());
        assertEquals(2, page.get("images").size(), "the baseline's ROC and reliability plots");
        for (JsonNode img : page.get("images")) {
            assertTrue(img.get("w").asInt() > 0, "every image decodes: " + page.get("images"));
        }
        assertEquals(0, page.get("scripts").asInt());
        assertEquals("undefined", page.get("injected").asText());
        String text = page.get("text").asText();
        assertTrue(text.contains("Verdict: " + r.verdict()), "the verdict is on the page");
        assertTrue(text.contains("<script>window.cxrInjected=3<!--.png"), "a real file's name shows as text");
        keep(v.screenshot(), "audit-report.png");
    }

    /** Checks the screenshot is a whole-page PNG and keeps it in target/report-html/ to be looked at. */
    private static void keep(byte[] png, String name) throws Exception {
        BufferedImage shot = ImageIO.read(new ByteArrayInputStream(png));
        assertEquals(1280, shot.getWidth(), "the page at the window's width");
        assertTrue(shot.getHeight() > 900, "the whole page, beyond the first screen: " + shot.getHeight());
        Path dir = Files.createDirectories(Path.of("target", "report-html"));
        Files.write(dir.resolve(name), png);
    }
}
