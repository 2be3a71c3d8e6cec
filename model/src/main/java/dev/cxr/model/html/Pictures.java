package dev.cxr.model.html;

import dev.cxr.engine.CxrException;
import dev.cxr.model.image.RgbImage;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * The pictures of {@code report.html}, inlined as data URIs so the page needs no other file: PNG
 * plots as they are, and images as small JPEG thumbnails (an X-ray of 3000 x 3000 pixels would
 * make the page tens of megabytes; a thumbnail of {@value #THUMBNAIL} pixels on its longer side is
 * about 10 kB). Thumbnails are averaged over the source pixels each covers (a box filter, plain
 * integer arithmetic) and encoded by the JDK's JPEG writer, so the same image gives the same bytes.
 */
public final class Pictures {
    /** The longer side of a thumbnail, in pixels. */
    public static final int THUMBNAIL = 240;
    /** JPEG quality of the thumbnails: text and edges stay readable at this size. */
    static final float QUALITY = 0.85f;

    private Pictures() {}

    /** A PNG file as a figure, its size read from the PNG header. */
    public static Page.Figure png(Path file, String caption) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new CxrException("cannot read " + file + " back for report.html (" + e.getMessage() + ")", e);
        }
        return png(bytes, caption);
    }

    /** PNG bytes as a figure. */
    public static Page.Figure png(byte[] bytes, String caption) {
        if (bytes.length < 24
                || bytes[0] != (byte) 0x89
                || !new String(bytes, 1, 3, StandardCharsets.US_ASCII).equals("PNG")) {
            throw new IllegalArgumentException("not a PNG: " + caption);
        }
        ByteBuffer header = ByteBuffer.wrap(bytes, 16, 8); // IHDR: width, height, big-endian
        return new Page.Figure(
                caption,
                "data:image/png;base64," + Base64.getEncoder().encodeToString(bytes),
                header.getInt(),
                header.getInt());
    }

    /** A thumbnail of {@code image}, at most {@link #THUMBNAIL} pixels on its longer side, as a JPEG figure. */
    public static Page.Figure thumbnail(RgbImage image, String caption) {
        RgbImage small = shrink(image, THUMBNAIL);
        return new Page.Figure(
                caption,
                "data:image/jpeg;base64," + Base64.getEncoder().encodeToString(jpeg(small)),
                small.width(),
                small.height());
    }

    /**
     * PNG or JPEG bytes as a figure: a JPEG within {@link #THUMBNAIL} pixels as it is, anything else
     * as a JPEG thumbnail (a PNG of a colour overlay is several times larger); null when the bytes
     * are no PNG or JPEG that ImageIO reads.
     */
    public static Page.Figure figure(byte[] encoded, String caption) {
        String type = isPng(encoded) ? "png" : isJpeg(encoded) ? "jpeg" : null;
        if (type == null) {
            return null;
        }
        BufferedImage img;
        try {
            img = ImageIO.read(new ByteArrayInputStream(encoded));
        } catch (IOException e) {
            return null;
        }
        if (img == null) {
            return null;
        }
        if (type.equals("jpeg") && img.getWidth() <= THUMBNAIL && img.getHeight() <= THUMBNAIL) {
            return new Page.Figure(
                    caption,
                    "data:image/jpeg;base64," + Base64.getEncoder().encodeToString(encoded),
                    img.getWidth(),
                    img.getHeight());
        }
        return thumbnail(rgb(img), caption);
    }

    private static boolean isPng(byte[] b) {
        return b.length > 8 && b[0] == (byte) 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G';
    }

    private static boolean isJpeg(byte[] b) {
        return b.length > 3 && b[0] == (byte) 0xff && b[1] == (byte) 0xd8 && b[2] == (byte) 0xff;
    }

    /**
     * The image scaled down, keeping its aspect ratio, so that its longer side is at most {@code max}
     * pixels; each output pixel is the mean of the source pixels whose centres fall in it. Smaller
     * images come back as they are.
     */
    static RgbImage shrink(RgbImage src, int max) {
        int w = src.width();
        int h = src.height();
        if (w <= max && h <= max) {
            return src;
        }
        int tw = w >= h ? max : Math.max(1, (int) Math.round((double) w * max / h));
        int th = h > w ? max : Math.max(1, (int) Math.round((double) h * max / w));
        byte[] out = new byte[tw * th * 3];
        byte[] px = src.pixels();
        for (int y = 0; y < th; y++) {
            int y0 = (int) ((long) y * h / th);
            int y1 = Math.max(y0 + 1, (int) ((long) (y + 1) * h / th));
            for (int x = 0; x < tw; x++) {
                int x0 = (int) ((long) x * w / tw);
                int x1 = Math.max(x0 + 1, (int) ((long) (x + 1) * w / tw));
                long r = 0;
                long g = 0;
                long b = 0;
                for (int sy = y0; sy < y1; sy++) {
                    int row = sy * w * 3;
                    for (int sx = x0; sx < x1; sx++) {
                        int i = row + sx * 3;
                        r += px[i] & 0xff;
                        g += px[i + 1] & 0xff;
                        b += px[i + 2] & 0xff;
                    }
                }
                long n = (long) (y1 - y0) * (x1 - x0);
                int o = (y * tw + x) * 3;
                out[o] = (byte) ((r + n / 2) / n);
                out[o + 1] = (byte) ((g + n / 2) / n);
                out[o + 2] = (byte) ((b + n / 2) / n);
            }
        }
        return new RgbImage(tw, th, out);
    }

    /** Baseline JPEG bytes of the image: one gray channel when R = G = B everywhere (most X-rays), else colour. */
    static byte[] jpeg(RgbImage img) {
        int w = img.width();
        int h = img.height();
        byte[] px = img.pixels();
        boolean gray = true;
        for (int i = 0; i < px.length && gray; i += 3) {
            gray = px[i] == px[i + 1] && px[i] == px[i + 2];
        }
        BufferedImage bi = new BufferedImage(w, h, gray ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = (y * w + x) * 3;
                if (gray) {
                    bi.getRaster().setSample(x, y, 0, px[i] & 0xff);
                } else {
                    bi.setRGB(x, y, (px[i] & 0xff) << 16 | (px[i + 1] & 0xff) << 8 | (px[i + 2] & 0xff));
                }
            }
        }
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
        if (!writers.hasNext()) {
            throw new IllegalStateException("no JPEG writer in this JDK");
        }
        ImageWriter writer = writers.next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(QUALITY);
            writer.write(null, new IIOImage(bi, null, null), param);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode a thumbnail in memory: " + e.getMessage(), e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    /** Any picture ImageIO decoded, as 8-bit RGB (alpha dropped). */
    static RgbImage rgb(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        byte[] px = new byte[w * h * 3];
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            img.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                int i = (y * w + x) * 3;
                px[i] = (byte) (row[x] >> 16);
                px[i + 1] = (byte) (row[x] >> 8);
                px[i + 2] = (byte) row[x];
            }
        }
        return new RgbImage(w, h, px);
    }
}
