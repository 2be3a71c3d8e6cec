package dev.cxr.model.html;

import java.util.List;
import java.util.Objects;

/**
 * What {@code report.html} shows, as plain data: the title, the educational disclaimer (always at
 * the top), a verdict line where there is one (the audit's), and the sections in order. The
 * template ({@code src/main/jte/report.jte}) only lays it out; every string here is text, escaped
 * where it is written.
 *
 * @param verdict null when the report has none
 */
public record Page(String title, String disclaimer, String verdict, List<Section> sections) {
    public Page {
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(disclaimer, "disclaimer");
        sections = List.copyOf(sections);
    }

    /** A titled part of the page; {@code id} is its anchor (letters, digits and '-'). */
    public record Section(String id, String heading, List<Block> blocks) {
        public Section {
            if (!id.matches("[a-z0-9-]+")) {
                throw new IllegalArgumentException("a section id is lower-case letters, digits and '-', got " + id);
            }
            blocks = List.copyOf(blocks);
        }

        public static Section of(String id, String heading, Block... blocks) {
            return new Section(id, heading, List.of(blocks));
        }
    }

    /** One piece of a section. */
    public sealed interface Block permits Text, Facts, Table, Figures, Gallery {}

    /**
     * Paragraphs of text; {@code preformatted} lines are shown as they are, in a fixed-width font (a
     * table laid out in report.txt's text).
     */
    public record Text(List<String> paragraphs, boolean preformatted) implements Block {
        public Text {
            paragraphs = List.copyOf(paragraphs);
        }

        public Text(List<String> paragraphs) {
            this(paragraphs, false);
        }

        public static Text of(String... paragraphs) {
            return new Text(List.of(paragraphs));
        }
    }

    /** A two-column table of names and values (the settings). */
    public record Facts(List<Fact> rows) implements Block {
        public Facts {
            rows = List.copyOf(rows);
        }
    }

    /** One row of {@link Facts}. */
    public record Fact(String name, String value) {}

    /**
     * A table with a header row; {@code rowHeaders} makes each row's first cell a header (the true
     * class of a confusion matrix).
     */
    public record Table(String caption, List<String> header, List<List<String>> rows, boolean rowHeaders)
            implements Block {
        public Table {
            header = List.copyOf(header);
            rows = rows.stream().map(List::copyOf).toList();
        }
    }

    /** Pictures side by side (plots), each inlined as a data URI. */
    public record Figures(List<Figure> figures) implements Block {
        public Figures {
            figures = List.copyOf(figures);
        }
    }

    /** A picture: {@code src} is a {@code data:image/...;base64,} URI, never a link to a file or the network. */
    public record Figure(String caption, String src, int width, int height) {
        public Figure {
            if (!src.startsWith("data:image/")) {
                throw new IllegalArgumentException("a figure is inlined as a data:image/ URI, got "
                        + src.substring(0, Math.min(20, src.length())));
            }
        }
    }

    /** Images with what the classifier said of each. */
    public record Gallery(String note, List<Tile> tiles) implements Block {
        public Gallery {
            tiles = List.copyOf(tiles);
        }
    }

    /**
     * One image of the gallery.
     *
     * @param why       why it is shown ("misclassified", "most confident right covid")
     * @param wrong     true when it was misclassified (drawn with a red frame)
     * @param picture   its picture ({@link GalleryPictures}) as a thumbnail; null when the image could
     *                  not be read again ({@code missing} says why)
     * @param caption   what the picture shows ("image as read", an overlay); null without a picture
     */
    public record Tile(
            String path,
            String why,
            boolean wrong,
            String trueClass,
            String predicted,
            String probabilities,
            Figure picture,
            String caption,
            String missing) {}
}
