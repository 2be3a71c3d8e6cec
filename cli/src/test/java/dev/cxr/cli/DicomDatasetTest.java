package dev.cxr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A dataset that mixes JPEGs with DICOM files (named {@code .dcm}, without an extension, and by UID)
 * trains, evaluates and predicts; and nothing cxr prints or writes carries the patient data those
 * DICOM files hold.
 */
class DicomDatasetTest {
    /** Patient names and IDs in the bundled DICOM files (the test files' own synthetic identities). */
    private static final List<String> PATIENT_DATA = List.of("CompressedSamples", "Lestrade", "4MR1");

    @TempDir
    Path tmp;

    private static Path dicom(String name) {
        return CliRun.repoFile("model/src/test/resources/dicom/files/" + name);
    }

    @Test
    void mixedDatasetTrainsEvaluatesAndPredictsWithoutLeakingPatientData() throws IOException {
        Path data = CliRun.sixImages(tmp.resolve("data"));
        Files.copy(dicom("MR_small_bigendian.dcm"), data.resolve("covid/mr-bigendian.dcm"));
        Files.copy(dicom("MR_small_RLE.dcm"), data.resolve("covid/IM0001")); // no extension: found by content
        Files.copy(dicom("SC_rgb.dcm"), data.resolve("normal/rgb.DCM"));
        Files.copy(dicom("image_dfl.dcm"), data.resolve("normal/1.2.826.0.1.3680043.2.1125.1.40"));
        Files.writeString(data.resolve("normal/README"), "not an image\n"); // no extension, no DICOM: ignored

        Path run = tmp.resolve("run");
        CliRun train = CliRun.of(
                "train",
                "--dataset",
                data.toString(),
                "--weights",
                CliRun.narrowWeights().toString(),
                "--epochs",
                "2",
                "--batch-size",
                "2",
                "--no-augment",
                "--test-split",
                "0.5",
                "--preprocess",
                "tutorial",
                "--output",
                run.toString(),
                "--device",
                "cpu");
        assertEquals(0, train.exit(), train.err());
        assertFalse(train.err().contains("skipping"), "every image is read: " + train.err());
        CliRun eval = CliRun.of(
                "evaluate",
                "--model",
                run.resolve("model.h5").toString(),
                "--dataset",
                data.toString(),
                "--output",
                tmp.resolve("eval").toString(),
                "--device",
                "cpu");
        assertEquals(0, eval.exit(), eval.err());
        assertTrue(eval.out().startsWith("cxr evaluate: model.h5 on 10 images"), eval.out());
        Path csv = tmp.resolve("predictions.csv");
        CliRun predict = CliRun.of(
                "predict",
                "--model",
                run.resolve("model.h5").toString(),
                "--csv",
                csv.toString(),
                "--device",
                "cpu",
                data.toString());
        assertEquals(0, predict.exit(), predict.err());
        List<String> rows = Files.readAllLines(csv);
        assertEquals(11, rows.size(), "a header and the 10 images: " + rows);
        assertTrue(rows.stream().anyMatch(l -> l.startsWith(data.resolve("covid/IM0001") + ",")), rows.toString());
        assertTrue(rows.stream().skip(1).allMatch(l -> l.endsWith(",")), "no error column filled: " + rows);

        List<String> said = new ArrayList<>();
        for (CliRun r : new CliRun[] {train, eval, predict}) {
            said.add(r.out());
            said.add(r.err());
        }
        for (Path folder : new Path[] {run, tmp.resolve("eval")}) {
            try (Stream<Path> files = Files.list(folder)) {
                for (Path f : files.toList()) {
                    said.add(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1)); // model.h5 too, as bytes
                }
            }
        }
        said.add(Files.readString(csv));
        for (String text : said) {
            for (String secret : PATIENT_DATA) {
                assertFalse(text.contains(secret), "'" + secret + "' leaked into: " + text);
            }
        }
    }
}
