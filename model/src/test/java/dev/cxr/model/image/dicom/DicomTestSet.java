package dev.cxr.model.image.dicom;

import dev.cxr.engine.testing.Resources;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import javax.imageio.ImageIO;

/**
 * A folder of DICOM test files laid out as {@code ../shared/datasets/dicom}: {@code files/},
 * {@code reference/NAME.npy.gz} (stored values) and {@code NAME.png} (rendering), and
 * {@code manifest.csv} with each file's expected outcome. The project's own small copy lives in the
 * test resources ({@code dicom/}) in the same layout.
 */
final class DicomTestSet {
    /** One manifest row: the columns the tests use. */
    record Entry(
            Path folder,
            String file,
            String sha256,
            String expected,
            boolean lossy,
            String referenceNpy,
            String referencePng) {
        Path path() {
            return folder.resolve("files").resolve(file);
        }

        @Override
        public String toString() {
            return file;
        }
    }

    /** A reference array: its shape and int32 values, row-major. */
    record Npy(int[] shape, int[] values) {}

    private DicomTestSet() {}

    /** {@code ../shared/datasets/dicom}, searched from the working directory upwards; absent in a fresh clone. */
    static Optional<Path> shared() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            Path candidate = dir.resolve("../shared/datasets/dicom").normalize();
            if (Files.isRegularFile(candidate.resolve("manifest.csv"))) {
                return Optional.of(candidate);
            }
            dir = dir.getParent();
        }
        return Optional.empty();
    }

    /** The copy in this module's test resources. */
    static Path bundled() {
        return Resources.path("dicom/manifest.csv").getParent();
    }

    static List<Entry> entries(Path folder) {
        List<String> lines;
        try {
            lines = Files.readAllLines(folder.resolve("manifest.csv"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> header = csv(lines.get(0));
        List<Entry> entries = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) {
                continue;
            }
            List<String> cells = csv(line);
            Map<String, String> row = new HashMap<>();
            for (int i = 0; i < header.size(); i++) {
                row.put(header.get(i), i < cells.size() ? cells.get(i) : "");
            }
            entries.add(new Entry(
                    folder,
                    row.get("file"),
                    row.get("sha256"),
                    row.get("expected"),
                    row.get("lossy_syntax").equals("yes"),
                    row.get("reference_npy"),
                    row.get("reference_png")));
        }
        return entries;
    }

    /** One CSV line (RFC 4180 quoting; no field of the manifest spans lines). */
    static List<String> csv(String line) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cell.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                cells.add(cell.toString());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        cells.add(cell.toString());
        return cells;
    }

    /** A gzipped .npy of little-endian int32 in C order (the only kind the references are). */
    static Npy npy(Path file) {
        byte[] all;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
            all = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (all.length < 10
                || (all[0] & 0xFF) != 0x93
                || !new String(all, 1, 5, StandardCharsets.US_ASCII).equals("NUMPY")) {
            throw new IllegalArgumentException(file + ": not a .npy file");
        }
        int major = all[6];
        ByteBuffer bb = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        int headerLength = major == 1 ? bb.getShort(8) & 0xFFFF : bb.getInt(8);
        int dataStart = (major == 1 ? 10 : 12) + headerLength;
        String header = new String(all, major == 1 ? 10 : 12, headerLength, StandardCharsets.US_ASCII);
        if (!header.contains("'descr': '<i4'") || !header.contains("'fortran_order': False")) {
            throw new IllegalArgumentException(file + ": expected C-order '<i4', header " + header);
        }
        Matcher m = Pattern.compile("'shape': \\(([0-9, ]*)\\)").matcher(header);
        if (!m.find()) {
            throw new IllegalArgumentException(file + ": no shape in " + header);
        }
        String[] dims = m.group(1).split(",");
        List<Integer> shape = new ArrayList<>();
        for (String d : dims) {
            if (!d.isBlank()) {
                shape.add(Integer.parseInt(d.trim()));
            }
        }
        int[] values = new int[(all.length - dataStart) / 4];
        bb.position(dataStart);
        bb.asIntBuffer().get(values);
        return new Npy(shape.stream().mapToInt(Integer::intValue).toArray(), values);
    }

    /** A PNG's samples, row-major, bands interleaved (1 band for gray, 3 for RGB). */
    static int[] png(Path file) {
        try {
            BufferedImage img = ImageIO.read(file.toFile());
            Raster r = img.getRaster();
            return r.getPixels(0, 0, r.getWidth(), r.getHeight(), (int[]) null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int pngBands(Path file) {
        try {
            return ImageIO.read(file.toFile()).getRaster().getNumBands();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] bytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
