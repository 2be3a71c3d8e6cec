package dev.cxr.benchmarks;

import dev.cxr.model.image.dicom.DicomImage;
import dev.cxr.model.image.dicom.DicomReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * How long cxr takes to read a radiograph from DICOM: the test set's 1760x1760 CR (RG3) in each of
 * its transfer syntaxes, the file read and decoded to stored values ({@code DicomReader.read}), then
 * rendered to 8 bits ({@code render}). Each file is decoded in turn, round after round in one JVM,
 * after 3 warm-up rounds; prints the median and fastest round of each, and the first decode of each
 * (in a fresh JVM, as a command that reads one file sees it). A measurement, not a test:
 * {@code java --add-modules jdk.incubator.vector -cp benchmarks/target/benchmarks.jar
 * dev.cxr.benchmarks.DicomDecodeTiming ../shared/datasets/dicom/files 10}
 */
public final class DicomDecodeTiming {
    private DicomDecodeTiming() {}

    public static void main(String[] args) throws IOException {
        Path folder = Path.of(args.length > 0 ? args[0] : "../shared/datasets/dicom/files");
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        List<Path> files;
        try (Stream<Path> s = Files.list(folder)) {
            files = s.filter(p -> p.getFileName().toString().startsWith("RG3_"))
                    .sorted()
                    .toList();
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no RG3_*.dcm in " + folder);
        }
        double[][] read = new double[files.size()][rounds];
        double[][] render = new double[files.size()][rounds];
        double[] first = new double[files.size()];
        String[] syntax = new String[files.size()];
        for (int round = -3; round < rounds; round++) {
            for (int f = 0; f < files.size(); f++) {
                long t0 = System.nanoTime();
                DicomImage img = DicomReader.read(files.get(f));
                long t1 = System.nanoTime();
                img.render();
                long t2 = System.nanoTime();
                syntax[f] = img.transferSyntax();
                if (round == -3) {
                    first[f] = (t2 - t0) / 1e6;
                }
                if (round >= 0) {
                    read[f][round] = (t1 - t0) / 1e6;
                    render[f][round] = (t2 - t1) / 1e6;
                }
            }
        }
        System.out.printf(
                Locale.ROOT,
                "%-22s %9s  %-26s %-22s %-11s %s%n",
                "file",
                "bytes",
                "read + decode, ms",
                "render, ms",
                "first, ms",
                "transfer syntax");
        for (int f = 0; f < files.size(); f++) {
            System.out.printf(
                    Locale.ROOT,
                    "%-22s %9d  %-26s %-22s %-11.0f %s%n",
                    files.get(f).getFileName(),
                    Files.size(files.get(f)),
                    stats(read[f]),
                    stats(render[f]),
                    first[f],
                    syntax[f]);
        }
        System.out.printf(
                Locale.ROOT,
                "%d rounds after 3 warm-up rounds; %d cores, Java %s%n",
                rounds,
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"));
    }

    private static String stats(double[] ms) {
        double[] sorted = ms.clone();
        Arrays.sort(sorted);
        return String.format(Locale.ROOT, "median %.0f, fastest %.0f", sorted[sorted.length / 2], sorted[0]);
    }
}
