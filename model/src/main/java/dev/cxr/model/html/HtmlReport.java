package dev.cxr.model.html;

import dev.cxr.engine.io.AtomicFiles;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.TemplateException;
import gg.jte.output.StringOutput;
import java.nio.file.Path;

/**
 * {@code report.html}: a {@link Page} laid out by the jte template {@code src/main/jte/report.jte}.
 * The template is compiled to Java with the module (the jte Maven plugin), so it is type-checked at
 * build time, and jte escapes every value it writes for where it goes (element text, attribute
 * value): a file name holding {@code <script>} is shown as text. The page carries a
 * Content-Security-Policy that allows inline styles and {@code data:} images only: it runs no
 * script and loads nothing from the network or the disk.
 */
public final class HtmlReport {
    /** The file name every command writes. */
    public static final String FILE = "report.html";

    private static final TemplateEngine ENGINE = TemplateEngine.createPrecompiled(
            null, ContentType.Html, HtmlReport.class.getClassLoader(), "dev.cxr.model.html.templates");

    private HtmlReport() {}

    /** The page as HTML text. */
    public static String render(Page page) {
        StringOutput out = new StringOutput(1 << 16);
        try {
            ENGINE.render("report.jte", page, out);
        } catch (TemplateException e) {
            throw new IllegalStateException("report.html template failed: " + e.getMessage(), e);
        }
        return out.toString();
    }

    /** Writes the page to {@code file}, atomically. */
    public static void write(Path file, Page page) {
        AtomicFiles.writeString(file, render(page));
    }
}
