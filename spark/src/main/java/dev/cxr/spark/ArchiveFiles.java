package dev.cxr.spark;

import dev.cxr.model.data.ImageFolder;
import dev.cxr.model.features.BytesSource;
import dev.cxr.model.image.ImageDecoder;
import dev.cxr.model.image.dicom.DicomReader;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Which of an archive's files are images, and their bytes, read through Hadoop's file systems (local,
 * HDFS, S3A, ...) on the executor that predicts them. By default the images are the files whose names
 * end in one of cxr's image extensions ({@link ImageFolder#IMAGE_EXTENSIONS}, any case), chosen while
 * Spark lists the archive so no other file is opened. With {@code allFiles}, every file is looked
 * at: those without an image extension are kept when their first 132 bytes are DICOM (PACS exports
 * name files {@code IM0001} or by UID), the rule {@code cxr predict} applies to a folder.
 *
 * <p>A file that cannot be read (gone since the listing, no permission, over {@link #MAX_BYTES}) is
 * an entry with its error, never an exception: one unreadable file must not fail the job. So is an
 * empty file (the decoder's "empty file"), which Spark's own file scans would skip without a word.
 */
final class ArchiveFiles {
    /** The largest file read: what cxr's readers accept ({@link DicomReader#MAX_BYTES}, 1 GiB). */
    static final long MAX_BYTES = DicomReader.MAX_BYTES;
    /** DICOM's 128-byte preamble and its {@code DICM}. */
    private static final int DICOM_HEAD = 132;

    /** One listed file: its bytes, or why it cannot be read ({@code path} is as Spark listed it). */
    record Entry(String path, byte[] bytes, String error) {
        BytesSource source() {
            return new BytesSource(path, bytes);
        }

        boolean readable() {
            return error == null;
        }
    }

    private final Configuration conf;
    private final boolean allFiles;
    private final long maxBytes;

    ArchiveFiles(Configuration conf, boolean allFiles) {
        this(conf, allFiles, MAX_BYTES);
    }

    ArchiveFiles(Configuration conf, boolean allFiles, long maxBytes) {
        this.conf = conf;
        this.allFiles = allFiles;
        this.maxBytes = maxBytes;
    }

    /**
     * The glob on file names that Spark's listing keeps, e.g. {@code *.{[bB][mM][pP],[dD][cC][mM],...}}
     * (Hadoop's globs have no case-insensitive flag); null with {@code allFiles}.
     */
    static String nameGlob(boolean allFiles) {
        if (allFiles) {
            return null;
        }
        return ImageFolder.IMAGE_EXTENSIONS.stream()
                .sorted()
                .map(ArchiveFiles::anyCase)
                .collect(Collectors.joining(",", "*.{", "}"));
    }

    private static String anyCase(String ext) {
        StringBuilder sb = new StringBuilder();
        for (char c : ext.toCharArray()) {
            sb.append('[')
                    .append(Character.toLowerCase(c))
                    .append(Character.toUpperCase(c))
                    .append(']');
        }
        return sb.toString();
    }

    /** {@link ImageFolder#isImageName} of a Hadoop path's last component. */
    static boolean hasImageName(Path p) {
        return ImageFolder.isImageName(java.nio.file.Path.of(p.getName()));
    }

    /**
     * The file at {@code uri} (as Spark's listing gives it, {@code file:/archive/a%20b.jpg}): its
     * bytes, or its error; null when it is not an image (with {@code allFiles}: no image extension
     * and no DICOM head). The entry's path is the URI decoded ({@code file:/archive/a b.jpg}), as
     * Spark's {@code binaryFile} rows name files.
     */
    Entry read(String uri) {
        Path p;
        try {
            p = new Path(URI.create(uri));
        } catch (IllegalArgumentException e) {
            return new Entry(uri, null, "not a path (" + e.getMessage() + ")");
        }
        String path = p.toString();
        boolean byName = hasImageName(p);
        if (!byName && !allFiles) {
            return null;
        }
        try {
            FileSystem fs = p.getFileSystem(conf);
            try (FSDataInputStream in = fs.open(p)) {
                byte[] head = new byte[0];
                if (!byName) {
                    head = in.readNBytes(DICOM_HEAD);
                    if (!ImageDecoder.isDicom(path, head)) {
                        return null;
                    }
                }
                return whole(path, head, in);
            }
        } catch (IOException | RuntimeException e) {
            return new Entry(path, null, "cannot read (" + e.getMessage() + ")");
        }
    }

    /** The rest of the stream after {@code head}, up to {@link #maxBytes} in all (the file may have grown). */
    private Entry whole(String path, byte[] head, InputStream in) throws IOException {
        byte[] rest = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1 - head.length));
        long total = (long) head.length + rest.length;
        if (total > maxBytes) {
            return tooLarge(path);
        }
        if (head.length == 0) {
            return new Entry(path, rest, null);
        }
        byte[] all = new byte[(int) total];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(rest, 0, all, head.length, rest.length);
        return new Entry(path, all, null);
    }

    private Entry tooLarge(String path) {
        return new Entry(path, null, "file is over the " + maxBytes + " bytes cxr reads");
    }
}
