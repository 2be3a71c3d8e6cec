package dev.cxr.model.explain;

import dev.cxr.model.image.Resize;
import dev.cxr.model.image.RgbImage;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * The picture a person looks at: the X-ray as decoded, scaled to a readable size, with the map
 * stretched over it ({@link MapUpsampling}) in {@link Inferno} colours, more opaque where hotter so
 * that a cold region shows the X-ray unchanged; the cells the head never reads dimmed, hatched and
 * outlined; and below it a caption: the file name, the prediction, the method, a colour bar and
 * the legend of the hatching.
 */
public final class Overlay {
    /** The longest side of the picture, in pixels: readable on a screen, small enough to share. */
    public static final int DISPLAY_SIDE = 512;
    /** Opacity of the colour at the map's maximum (zero where the map is zero). */
    static final double ALPHA = 0.6;
    /** How much the unread region is darkened. */
    static final double DIM = 0.3;
    /** Hatching: one light line every {@code HATCH_PERIOD} pixels along the diagonal, 2 pixels thick. */
    static final int HATCH_PERIOD = 10;

    private static final int PAD = 8;
    private static final int BAR_WIDTH = 160;
    private static final int BAR_HEIGHT = 10;
    private static final int SWATCH = 14;
    private static final Color INK = new Color(0x20, 0x20, 0x20);
    private static final Color PAPER = new Color(0xf7, 0xf7, 0xf7);

    /** What the caption says about one explained image. */
    public record Caption(
            String name,
            List<String> classes,
            float[] probabilities,
            int predicted,
            CamMethod method,
            int explained,
            String layer) {}

    private Overlay() {}

    /**
     * The picture scaled so that its longest side is {@code side} (aspect ratio kept): halved
     * (2x2 means) while at least twice too large, then bilinear, so a large X-ray does not alias.
     */
    public static RgbImage fitLongestSide(RgbImage picture, int side) {
        RgbImage img = picture;
        double scale = (double) side / Math.max(img.width(), img.height());
        int w = Math.max(1, (int) Math.round(img.width() * scale));
        int h = Math.max(1, (int) Math.round(img.height() * scale));
        while (img.width() >= 2 * w && img.height() >= 2 * h) {
            img = Resize.bilinear(img, img.width() / 2, img.height() / 2);
        }
        return Resize.bilinear(img, w, h);
    }

    /**
     * The overlay of {@code map} ([s, s] row-major, cells 0..read-1 of each axis read by the head)
     * on {@code picture}, with the caption below it.
     */
    public static RgbImage render(RgbImage picture, float[] map, int s, int read, Caption caption) {
        int w = picture.width();
        int h = picture.height();
        float[] up = MapUpsampling.bilinear(map, s, read, w, h);
        double max = 0;
        for (float v : map) {
            max = Math.max(max, v);
        }
        byte[] px = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                double t = max > 0 ? up[i] / max : 0;
                double alpha = ALPHA * t;
                int heat = Inferno.rgb(t);
                boolean unread = !MapUpsampling.read(x, y, w, h, s, read);
                boolean hatch = unread && Math.floorMod(x + y, HATCH_PERIOD) < 2;
                for (int c = 0; c < 3; c++) {
                    double v = picture.get(x, y, c) * (1 - alpha) + ((heat >> (16 - 8 * c)) & 0xff) * alpha;
                    if (unread) {
                        v *= 1 - DIM;
                    }
                    if (hatch) {
                        v = 0.4 * v + 0.6 * 230;
                    }
                    px[i * 3 + c] = (byte) Math.max(0, Math.min(255, (int) Math.round(v)));
                }
            }
        }
        return compose(new RgbImage(w, h, px), s, read, max, caption);
    }

    /** The picture as PNG bytes (8-bit RGB). */
    public static byte[] png(RgbImage img) {
        BufferedImage bi = toBuffered(img);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(bi, "png", out)) {
                throw new IOException("no PNG writer in this JDK");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    // the overlaid picture, its corner's outline, then the caption strip below
    private static RgbImage compose(RgbImage overlaid, int s, int read, double max, Caption caption) {
        int w = overlaid.width();
        int h = overlaid.height();
        Font plain = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
        Font bold = plain.deriveFont(Font.BOLD);
        Graphics2D probe = new BufferedImage(1, 1, BufferedImage.TYPE_3BYTE_BGR).createGraphics();
        FontMetrics fm = probe.getFontMetrics(plain);
        FontMetrics fmBold = probe.getFontMetrics(bold);
        probe.dispose();
        int textWidth = w - 2 * PAD;
        int line = fm.getHeight();

        List<String> title = wrap(caption.name(), fmBold, textWidth);
        List<String> prediction = wrap(predictionLine(caption), fm, textWidth);
        List<String> method = wrap(
                caption.method().title() + " of the " + caption.classes().get(caption.explained()) + " logit at "
                        + caption.layer() + " (" + s + "x" + s + ")",
                fm,
                textWidth);
        List<String> legend = wrap(
                "hatched: the cells the head never reads (its pool covers only the top-left " + read + "x" + read
                        + "); the score does not depend on them",
                fm,
                textWidth - SWATCH - 6);
        List<String> disclaimer = wrap("Educational only: not a medical device, not a diagnosis.", fm, textWidth);
        int lines = title.size() + prediction.size() + method.size() + 1 + legend.size() + disclaimer.size();
        int stripH = PAD + lines * line + 3 * 4 + PAD;

        BufferedImage canvas = new BufferedImage(w, h + stripH, BufferedImage.TYPE_3BYTE_BGR);
        byte[] data = ((DataBufferByte) canvas.getRaster().getDataBuffer()).getData();
        copyAsBgr(overlaid, data);
        Graphics2D g = canvas.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            outline(g, w, h, s, read);
            g.setColor(PAPER);
            g.fillRect(0, h, w, stripH);
            g.setColor(INK);
            int y = h + PAD + fm.getAscent();
            g.setFont(bold);
            y = draw(g, title, PAD, y, line);
            g.setFont(plain);
            y = draw(g, prediction, PAD, y, line) + 4;
            y = draw(g, method, PAD, y, line);
            colourBar(g, fm, PAD, y, max);
            y += line + 4;
            hatchSwatch(g, PAD, y - fm.getAscent());
            g.setColor(INK);
            y = draw(g, legend, PAD + SWATCH + 6, y, line) + 4;
            draw(g, disclaimer, PAD, y, line);
        } finally {
            g.dispose();
        }
        return fromBuffered(canvas);
    }

    private static String predictionLine(Caption c) {
        StringBuilder sb = new StringBuilder("predicted " + c.classes().get(c.predicted()) + ":");
        for (int k = 0; k < c.classes().size(); k++) {
            sb.append(String.format(Locale.ROOT, "  p(%s) %.3f", c.classes().get(k), c.probabilities()[k]));
        }
        return sb.toString();
    }

    // dashed line along the right and bottom edges of the read corner
    private static void outline(Graphics2D g, int w, int h, int s, int read) {
        if (read >= s) {
            return;
        }
        int bx = firstUnread(w, s, read);
        int by = firstUnread(h, s, read);
        g.setStroke(new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
        g.setColor(new Color(255, 255, 255, 220));
        g.drawLine(bx, 0, bx, by);
        g.drawLine(0, by, bx, by);
    }

    /** The first pixel of a side of {@code size} pixels over a cell the head does not read. */
    static int firstUnread(int size, int s, int read) {
        int p = 0;
        while (p < size && MapUpsampling.cell(p, size, s) < read) {
            p++;
        }
        return p;
    }

    private static void colourBar(Graphics2D g, FontMetrics fm, int x, int baseline, double max) {
        if (!(max > 0)) {
            g.drawString("the map is zero everywhere: no position raises this logit", x, baseline);
            return;
        }
        String lo = "0";
        g.drawString(lo, x, baseline);
        int bx = x + fm.stringWidth(lo) + 6;
        int top = baseline - fm.getAscent() + (fm.getAscent() - BAR_HEIGHT) / 2 + 1;
        for (int i = 0; i < BAR_WIDTH; i++) {
            g.setColor(new Color(Inferno.rgb(i / (double) (BAR_WIDTH - 1))));
            g.fillRect(bx + i, top, 1, BAR_HEIGHT);
        }
        g.setColor(INK);
        g.drawString(String.format(Locale.ROOT, "%.3g (the map's max)", max), bx + BAR_WIDTH + 6, baseline);
    }

    private static void hatchSwatch(Graphics2D g, int x, int y) {
        for (int dy = 0; dy < SWATCH; dy++) {
            for (int dx = 0; dx < SWATCH; dx++) {
                int v = Math.floorMod(dx + dy, HATCH_PERIOD) < 2 ? 230 : (int) Math.round(128 * (1 - DIM));
                g.setColor(new Color(v, v, v));
                g.fillRect(x + dx, y + dy, 1, 1);
            }
        }
    }

    private static int draw(Graphics2D g, List<String> lines, int x, int y, int line) {
        for (String l : lines) {
            g.drawString(l, x, y);
            y += line;
        }
        return y;
    }

    /** Words over as many lines as the width needs; a word too long for a line is cut. */
    static List<String> wrap(String text, FontMetrics fm, int width) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (String word : text.split(" ")) {
            String next = cur.isEmpty() ? word : cur + " " + word;
            if (fm.stringWidth(next) <= width) {
                cur.setLength(0);
                cur.append(next);
                continue;
            }
            if (!cur.isEmpty()) {
                out.add(cur.toString());
                cur.setLength(0);
            }
            String rest = word;
            while (fm.stringWidth(rest) > width && rest.length() > 1) {
                int n = rest.length() - 1;
                while (n > 1 && fm.stringWidth(rest.substring(0, n)) > width) {
                    n--;
                }
                out.add(rest.substring(0, n));
                rest = rest.substring(n);
            }
            cur.append(rest);
        }
        if (!cur.isEmpty() || out.isEmpty()) {
            out.add(cur.toString());
        }
        return out;
    }

    private static void copyAsBgr(RgbImage img, byte[] bgr) {
        byte[] rgb = img.pixels();
        for (int i = 0; i < img.width() * img.height(); i++) {
            bgr[i * 3] = rgb[i * 3 + 2];
            bgr[i * 3 + 1] = rgb[i * 3 + 1];
            bgr[i * 3 + 2] = rgb[i * 3];
        }
    }

    private static BufferedImage toBuffered(RgbImage img) {
        BufferedImage bi = new BufferedImage(img.width(), img.height(), BufferedImage.TYPE_3BYTE_BGR);
        copyAsBgr(img, ((DataBufferByte) bi.getRaster().getDataBuffer()).getData());
        return bi;
    }

    private static RgbImage fromBuffered(BufferedImage bi) {
        byte[] bgr = ((DataBufferByte) bi.getRaster().getDataBuffer()).getData();
        byte[] rgb = new byte[bgr.length];
        for (int i = 0; i < rgb.length; i += 3) {
            rgb[i] = bgr[i + 2];
            rgb[i + 1] = bgr[i + 1];
            rgb[i + 2] = bgr[i];
        }
        return new RgbImage(bi.getWidth(), bi.getHeight(), rgb);
    }
}
