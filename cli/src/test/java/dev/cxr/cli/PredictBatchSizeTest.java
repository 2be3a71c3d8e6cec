package dev.cxr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cxr.engine.backend.Backend;
import dev.cxr.engine.backend.cpu.ReferenceBackend;
import dev.cxr.model.classifier.Head;
import dev.cxr.model.classifier.ModelFile;
import dev.cxr.model.features.FrozenBase;
import dev.cxr.model.image.Preprocessing;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cxr predict} on 1 to 9 images, on the fast CPU backend at 1 and 3 threads, prints the
 * probabilities {@code --device reference} prints for the same images: whatever chunk an image
 * lands in, and however many images share it.
 */
class PredictBatchSizeTest {
    @TempDir
    Path tmp;

    @Test
    void everyImageCountGivesTheReferenceDevicesProbabilities() throws IOException {
        List<Path> images = new ArrayList<>();
        for (String cls : new String[] {"covid", "normal"}) {
            try (Stream<Path> s = Files.list(CliRun.repoFile("data/covid-xray-50/" + cls))) {
                s.sorted().limit(5).forEach(images::add);
            }
        }
        images = images.subList(0, 9);
        Path model = randomModel(tmp.resolve("model.h5"));
        String weights = CliRun.narrowWeights().toString();
        List<String> ref = predict(model, weights, images, "--device", "reference");
        assertEquals(9, ref.size());
        assertTrue(
                ref.stream().map(r -> r.split(",")[2]).distinct().count() > 3,
                "the images get different probabilities: " + ref);
        for (String threads : new String[] {"1", "3"}) {
            for (int n = 1; n <= images.size(); n++) {
                List<String> got =
                        predict(model, weights, images.subList(0, n), "--device", "cpu", "--threads", threads);
                assertEquals(n, got.size());
                for (int i = 0; i < n; i++) {
                    String[] want = ref.get(i).split(",", -1);
                    String[] row = got.get(i).split(",", -1);
                    String at = threads + " threads, " + n + " images, row " + i;
                    assertEquals(want[0], row[0], at + ": path");
                    assertEquals(want[1], row[1], at + ": predicted class");
                    // six decimals printed: a rounding step of 1e-6 plus the backends' 1e-6 of difference
                    assertEquals(Double.parseDouble(want[2]), Double.parseDouble(row[2]), 2.1e-6, at + ": p_covid");
                    assertEquals(Double.parseDouble(want[3]), Double.parseDouble(row[3]), 2.1e-6, at + ": p_normal");
                }
            }
        }
    }

    private static List<String> predict(Path model, String weights, List<Path> images, String... device) {
        List<String> args = new ArrayList<>(List.of(device));
        args.addAll(List.of("predict", "--model", model.toString(), "--weights", weights));
        images.forEach(p -> args.add(p.toString()));
        CliRun r = CliRun.of(args.toArray(String[]::new));
        assertEquals(0, r.exit(), r.err());
        List<String> lines = r.out().lines().toList();
        return lines.subList(1, lines.size());
    }

    /** A head with seeded Glorot weights on the narrow VGG16 fixture, in tutorial mode. */
    private static Path randomModel(Path file) {
        try (Backend ref = new ReferenceBackend();
                FrozenBase base = FrozenBase.loadCorner(ref, CliRun.narrowWeights(), 4);
                Head head = Head.faithful(ref, base.channels(), 2, Head.DROPOUT, new SplittableRandom(1))) {
            head.initialize(new SplittableRandom(9));
            ModelFile.of(head, List.of("covid", "normal"), 224, Preprocessing.TUTORIAL, base, 9)
                    .write(file);
        }
        return file;
    }
}
