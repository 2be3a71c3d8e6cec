package dev.cxr.model.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cxr.engine.backend.Backend;
import dev.cxr.engine.tensor.Shape;
import dev.cxr.engine.tensor.Tensor;
import dev.cxr.engine.testing.SharedReference;
import dev.cxr.model.classifier.Head;
import dev.cxr.model.classifier.ModelFile;
import dev.cxr.model.eval.Jackson;
import dev.cxr.model.image.Preprocessing;
import dev.cxr.model.testing.Backends4Tests;
import dev.cxr.model.testing.Repo;
import io.jhdf.HdfFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training end to end with full-size VGG16 (the synthetic weights of ../shared/reference, in the
 * real Keras-1 layout, 512 channels): 2 epochs on 2 + 2 images of the bundled dataset, features
 * computed once. Skips on a fresh clone without ../shared.
 *
 * <p>Cost: 4 VGG16 forward passes at 224x224 (of the corner the head reads): seconds on the fast CPU
 * backend ({@code Backends4Tests.cpu()}), about 30 s each on the reference backend. Everything
 * else is covered on the narrow fixture by TrainingRunTest.
 */
class TrainingRunSharedWeightsTest {
    @TempDir
    Path tmp;

    @Test
    void trainsOnFullSizeVgg16AndWritesAKerasLoadableHead() throws Exception {
        Optional<Path> weights = SharedReference.file("vgg16-synthetic-seed1-notop.h5");
        assumeTrue(weights.isPresent(), SharedReference.ABSENT);
        Path data = Repo.subset(
                tmp.resolve("data"),
                List.of(Repo.SMALL_SIX.get(0), Repo.SMALL_SIX.get(2), Repo.SMALL_SIX.get(3), Repo.SMALL_SIX.get(5)));
        Path out = tmp.resolve("run");
        TrainConfig config = new TrainConfig(2, 8, 1e-3f, 42, Preprocessing.TUTORIAL, false, 0.5, true, 0.5f);
        try (Backend backend = Backends4Tests.cpu()) {
            TrainingRun.Result r = TrainingRun.run(
                    backend, data, weights.get(), config, out, System.err::println, TrainingListener.NONE);
            ModelFile model = ModelFile.read(out.resolve("model.h5"));
            assertEquals(512, model.channels());
            assertArrayEquals(new int[] {64, 128, 256, 512, 512}, model.baseWidths());
            try (HdfFile h5 = new HdfFile(out.resolve("model.h5"))) {
                assertArrayEquals(
                        new int[] {512, 64},
                        h5.getDatasetByPath("dense/dense/kernel:0").getDimensions());
            }
            try (Head head = Head.faithful(backend, 512, 2, 0.5f, new SplittableRandom(0));
                    Tensor x = backend.upload(featureShape(2, 512, r.testFeatures()), r.testFeatures())) {
                model.loadInto(head);
                float[] p = head.probabilities(x, backend);
                assertArrayEquals(r.testProbabilities()[0], new float[] {p[0], p[1]});
                assertArrayEquals(r.testProbabilities()[1], new float[] {p[2], p[3]});
            }
            assertEquals(3, Files.readAllLines(out.resolve("history.csv")).size());
            JsonNode json = Jackson.mapper().readTree(Files.readString(out.resolve("report.json")));
            assertEquals(
                    dev.cxr.model.eval.Report.DISCLAIMER, json.get("disclaimer").asText());
            assertEquals(true, Files.size(out.resolve("plot.png")) > 10_000);
        }
    }

    /** The test features' shape: the corner of block5_pool the base computes (4x4 for VGG16). */
    static Shape featureShape(int n, int channels, float[] features) {
        int side = (int) Math.round(Math.sqrt(features.length / (double) (n * channels)));
        assertEquals(n * channels * side * side, features.length);
        assertEquals(4, side, "the base computes only the head's 4x4 corner");
        return Shape.of(n, channels, side, side);
    }
}
