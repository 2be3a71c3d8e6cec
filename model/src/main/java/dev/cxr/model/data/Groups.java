package dev.cxr.model.data;

import dev.cxr.engine.CxrException;
import dev.cxr.model.image.dicom.DicomReader;
import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Which images belong together (a patient, a series): one group id per sample of a dataset, in sample
 * order. Splits and folds never put one group on both sides, so a model is not tested on a patient it
 * was trained on.
 *
 * <p>A groups file ({@code --groups FILE}) is CSV with a header naming a {@code file} and a
 * {@code group} column (others are ignored, so a manifest with those columns does); lines starting
 * with {@code #} and blank lines are skipped; fields may be quoted as RFC 4180 does. {@code file} is
 * the image's path relative to the dataset ({@code covid/x.jpeg}) or its bare name ({@code x.jpeg})
 * where that is unique. Every image of the dataset needs exactly one row; rows for images that are not
 * in the dataset, duplicate rows and empty fields are refused in one line naming the file and line.
 *
 * @param ids    the group of each sample, in sample order
 * @param source the file the groups were read from, or null when each image is its own group
 */
public record Groups(List<String> ids, Path source) {

    public Groups {
        ids = List.copyOf(ids);
    }

    /** What {@code --groups} takes, instead of a file, for the DICOM Patient ID of every image. */
    public static final String DICOM = "dicom";

    /** Each image its own group, named by its relative path: what no groups file means. */
    public static Groups perImage(List<Sample> samples) {
        return new Groups(samples.stream().map(Sample::relativePath).toList(), null);
    }

    /** True when the groups came from a file, false when each image is its own. */
    public boolean fromFile() {
        return source != null;
    }

    /** The group of sample {@code i}. */
    public String of(int i) {
        return ids.get(i);
    }

    /** The groups as an array, in sample order (what the splits take). */
    public String[] array() {
        return ids.toArray(new String[0]);
    }

    /** How many distinct groups there are. */
    public int count() {
        return new TreeSet<>(ids).size();
    }

    /** These groups for the given samples only, in that order (after bad images were left out). */
    public Groups select(List<Sample> all, List<Sample> kept) {
        Map<Sample, Integer> index = new HashMap<>();
        for (int i = 0; i < all.size(); i++) {
            index.put(all.get(i), i);
        }
        List<String> out = new ArrayList<>(kept.size());
        for (Sample s : kept) {
            Integer i = index.get(s);
            if (i == null) {
                throw new IllegalArgumentException(
                        s.relativePath() + " is not one of the samples the groups were read for");
            }
            out.add(ids.get(i));
        }
        return new Groups(out, source);
    }

    /**
     * Groups by the DICOM Patient ID of every image ({@code --groups dicom}), read from each file's data
     * set without decoding its pixels. The ids are kept only as hashes (16 hex digits of SHA-256), so
     * no patient identifier reaches a report. Every image must be DICOM with a Patient ID: an image
     * without one cannot be placed, and guessing would defeat the point, so that is refused.
     *
     * @throws CxrException naming how many images have no Patient ID, and the first of them
     */
    public static Groups fromDicom(List<Sample> samples) {
        List<String> ids = new ArrayList<>(samples.size());
        List<String> missing = new ArrayList<>();
        for (Sample s : samples) {
            Optional<String> id =
                    DicomReader.isDicom(s.file()) ? DicomReader.patientIdHash(s.file()) : Optional.empty();
            if (id.isEmpty()) {
                missing.add(s.relativePath());
            }
            ids.add(id.orElse(null));
        }
        if (!missing.isEmpty()) {
            throw new CxrException("--groups dicom: " + missing.size() + " of " + samples.size()
                    + " images have no DICOM Patient ID (the first: " + missing.get(0) + "); give a groups file"
                    + " (CSV with the columns file and group) instead");
        }
        return new Groups(ids, Path.of(DICOM));
    }

    /**
     * Reads a groups file for the samples of a dataset.
     *
     * @throws CxrException naming the file (and the line) for anything wrong in it
     */
    public static Groups read(Path file, List<Sample> samples) {
        if (file.toString().equals(DICOM) && !Files.exists(file)) {
            return fromDicom(samples);
        }
        if (!Files.isRegularFile(file)) {
            throw new CxrException("groups file " + file + (Files.exists(file) ? " is not a file" : " not found"));
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (MalformedInputException e) {
            throw new CxrException("groups file " + file + " is not UTF-8 text (a CSV of file,group is expected)", e);
        } catch (IOException e) {
            throw new CxrException("cannot read groups file " + file + " (" + e.getMessage() + ")", e);
        }
        Map<String, Integer> byPath = new HashMap<>();
        Map<String, List<Integer>> byName = new HashMap<>();
        for (int i = 0; i < samples.size(); i++) {
            String rel = samples.get(i).relativePath();
            byPath.put(rel, i);
            byName.computeIfAbsent(rel.substring(rel.lastIndexOf('/') + 1), k -> new ArrayList<>())
                    .add(i);
        }
        String[] group = new String[samples.size()];
        int[] lineOf = new int[samples.size()];
        int fileColumn = -1;
        int groupColumn = -1;
        int columns = 0;
        for (int ln = 1; ln <= lines.size(); ln++) {
            String line = lines.get(ln - 1);
            if (ln == 1 && line.startsWith("\ufeff")) {
                line = line.substring(1);
            }
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String where = "groups file " + file + ", line " + ln;
            List<String> fields = fields(line, where);
            if (fileColumn < 0) {
                for (int c = 0; c < fields.size(); c++) {
                    String name = fields.get(c).trim().toLowerCase(Locale.ROOT);
                    if (name.equals("file") && fileColumn < 0) {
                        fileColumn = c;
                    } else if (name.equals("group") && groupColumn < 0) {
                        groupColumn = c;
                    }
                }
                if (fileColumn < 0 || groupColumn < 0) {
                    throw new CxrException(
                            where + ": expected a header with the columns file and group, got '" + shorten(line) + "'");
                }
                columns = fields.size();
                continue;
            }
            if (fields.size() != columns) {
                throw new CxrException(
                        where + ": expected " + columns + " fields as in the header, got " + fields.size());
            }
            String name = fields.get(fileColumn).trim().replace('\\', '/');
            while (name.startsWith("./")) {
                name = name.substring(2);
            }
            String id = fields.get(groupColumn).trim();
            if (name.isEmpty()) {
                throw new CxrException(where + ": the file field is empty");
            }
            if (id.isEmpty()) {
                throw new CxrException(where + ": no group given for " + name);
            }
            int sample = resolve(name, byPath, byName, samples, where);
            if (group[sample] != null) {
                throw new CxrException(where + ": " + samples.get(sample).relativePath()
                        + " is listed twice (first on line " + lineOf[sample] + ")");
            }
            group[sample] = id;
            lineOf[sample] = ln;
        }
        if (fileColumn < 0) {
            throw new CxrException(
                    "groups file " + file + " is empty: expected a header 'file,group' and one row per image");
        }
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < group.length; i++) {
            if (group[i] == null) {
                missing.add(samples.get(i).relativePath());
            }
        }
        if (!missing.isEmpty()) {
            throw new CxrException("groups file " + file + " gives no group for " + missing.size() + " of the "
                    + samples.size()
                    + " images (" + String.join(", ", missing.subList(0, Math.min(3, missing.size())))
                    + (missing.size() > 3 ? ", ..." : "") + "): every image needs one");
        }
        return new Groups(List.of(group), file);
    }

    private static int resolve(
            String name,
            Map<String, Integer> byPath,
            Map<String, List<Integer>> byName,
            List<Sample> samples,
            String where) {
        Integer exact = byPath.get(name);
        if (exact != null) {
            return exact;
        }
        if (name.indexOf('/') < 0) {
            List<Integer> matches = byName.getOrDefault(name, List.of());
            if (matches.size() == 1) {
                return matches.get(0);
            }
            if (matches.size() > 1) {
                throw new CxrException(where + ": the bare name " + name + " matches " + matches.size() + " images ("
                        + String.join(
                                ", ",
                                matches.stream()
                                        .map(i -> samples.get(i).relativePath())
                                        .toList())
                        + "): give the path relative to the dataset");
            }
        }
        throw new CxrException(where + ": no image " + name + " in the dataset (give paths relative to the dataset,"
                + " such as covid/x.jpeg, or bare file names)");
    }

    /** The fields of one CSV line: commas separate, double quotes quote, "" is a quote inside quotes. */
    static List<String> fields(String line, String where) {
        List<String> out = new ArrayList<>();
        StringBuilder f = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        f.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    f.append(c);
                }
            } else if (c == '"') {
                if (wasQuoted || !f.toString().isBlank()) {
                    throw new CxrException(where + ": a quote inside an unquoted field (quote the whole field)");
                }
                f.setLength(0);
                quoted = true;
                wasQuoted = true;
            } else if (c == ',') {
                out.add(f.toString());
                f.setLength(0);
                wasQuoted = false;
            } else if (wasQuoted && !Character.isWhitespace(c)) {
                throw new CxrException(where + ": text after a closing quote");
            } else {
                f.append(c);
            }
        }
        if (quoted) {
            throw new CxrException(where + ": a quoted field is not closed");
        }
        out.add(f.toString());
        return out;
    }

    private static String shorten(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }

    /** Images per group, in the order the groups first appear. */
    public Map<String, Integer> sizes() {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (String id : ids) {
            m.merge(id, 1, Integer::sum);
        }
        return m;
    }
}
