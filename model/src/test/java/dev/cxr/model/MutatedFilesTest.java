package dev.cxr.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.cxr.engine.CxrException;
import dev.cxr.engine.backend.Backend;
import dev.cxr.engine.backend.cpu.ReferenceBackend;
import dev.cxr.engine.io.FileChecks;
import dev.cxr.engine.layers.Parameter;
import dev.cxr.engine.layers.Sequential;
import dev.cxr.engine.tensor.Shape;
import dev.cxr.engine.tensor.Tensor;
import dev.cxr.engine.testing.H5Edit;
import dev.cxr.engine.testing.Resources;
import dev.cxr.model.classifier.Head;
import dev.cxr.model.classifier.ModelFile;
import dev.cxr.model.image.ImageDecoder;
import dev.cxr.model.image.Preprocessing;
import dev.cxr.model.image.RgbImage;
import dev.cxr.model.testing.Mutations;
import dev.cxr.model.testing.Mutations.Mutant;
import dev.cxr.model.weights.Vgg16Weights;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzing in the suite: seeded damaged copies of a weights file, a model file and images, and the
 * property that every one ends in a clean refusal (a {@link CxrException} with a one-line message)
 * or a correct result: no other exception escapes, no accepted file is truncated, no accepted
 * weight is non-finite or insane, an accepted model's head is bit for bit the original (its
 * checksum) and gives probabilities in [0, 1] summing to 1, an accepted image has its size and
 * pixel count. A few hundred cases run in the suite in seconds; {@code -Dcxr.fuzz.cases=N} runs N
 * of each kind, {@code -Dcxr.fuzz.seed=S} another sequence.
 */
class MutatedFilesTest {
    private static final int CASES = Integer.getInteger("cxr.fuzz.cases", 120);
    private static final long SEED = Long.getLong("cxr.fuzz.seed", 17);
    private static final int[] W4 = {4, 4, 4, 4, 4};

    @TempDir
    Path dir;

    private final Backend backend = new ReferenceBackend();

    /** Runs one case: a clean refusal passes; any other throwable fails, naming the case. */
    private static <T> T refusedOrResult(String what, Supplier<T> run) {
        try {
            return run.get();
        } catch (CxrException e) {
            String m = e.getMessage();
            assertTrue(m != null && !m.isBlank(), what + ": a refusal says why");
            assertFalse(m.contains("\n"), what + ": one line: " + m);
            return null;
        } catch (Throwable t) {
            fail(what + ": escaped " + t, t);
            return null;
        }
    }

    @Test
    @Timeout(120)
    void damagedWeightsAreRefusedOrLoadSaneValues() throws IOException {
        byte[] original = Files.readAllBytes(Resources.path("keras/vgg16-w4-keras2-notop.h5"));
        Mutations m = new Mutations(SEED);
        int accepted = 0;
        for (int i = 0; i < CASES; i++) {
            Mutant mutant = m.mutate(original);
            String what = "weights case " + i + " (" + mutant.description() + ")";
            Path file = Files.write(dir.resolve("w" + i + ".h5"), mutant.bytes());
            try (Sequential net = Vgg16.features(backend, W4)) {
                Vgg16Weights.Info info = refusedOrResult(what, () -> Vgg16Weights.load(file, net));
                if (info != null) {
                    accepted++;
                    assertFalse(mutant.truncated(), what + ": a truncated file was accepted");
                    for (Parameter p : net.parameters()) {
                        assertEquals(
                                -1,
                                FileChecks.firstInsane(p.get()),
                                what + ": " + p.name() + " holds a non-finite value");
                    }
                }
            }
            Files.delete(file);
        }
        // the property is vacuous if nothing passes or nothing fails
        assertTrue(accepted > 0 && accepted < CASES, accepted + " of " + CASES + " accepted");
    }

    private ModelFile sampleModel() {
        SplittableRandom r = new SplittableRandom(3);
        float[][] a = new float[4][];
        int[] sizes = {32 * 64, 64, 64 * 2, 2};
        for (int j = 0; j < 4; j++) {
            a[j] = new float[sizes[j]];
            for (int i = 0; i < sizes[j]; i++) {
                a[j][i] = (float) r.nextDouble(-0.5, 0.5);
            }
        }
        return new ModelFile(
                List.of("covid", "normal"),
                224,
                Preprocessing.TUTORIAL,
                "0123456789abcdef0123456789abcdef",
                new int[] {8, 16, 32, 32, 32},
                "/somewhere/weights.h5",
                32,
                a[0],
                a[1],
                a[2],
                a[3],
                42,
                "head");
    }

    /** An accepted model must be the original head and give probabilities. */
    private void checkAccepted(String what, ModelFile original, ModelFile read) {
        assertArrayEquals(original.denseKernel(), read.denseKernel(), what + ": the head changed but was accepted");
        assertArrayEquals(original.dense1Bias(), read.dense1Bias(), what);
        assertEquals(read.classes().size(), read.classes().stream().distinct().count(), what);
        try (Head head = Head.onPooled(backend, read.channels(), read.classes().size(), 0f, new SplittableRandom(0))) {
            read.loadInto(head);
            float[] x = new float[3 * read.channels()];
            SplittableRandom r = new SplittableRandom(1);
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) r.nextDouble(0, 4);
            }
            try (Tensor t = backend.upload(Shape.of(3, read.channels()), x)) {
                float[] p = head.probabilities(t, backend);
                int k = read.classes().size();
                for (int n = 0; n < 3; n++) {
                    double sum = 0;
                    for (int c = 0; c < k; c++) {
                        float v = p[n * k + c];
                        assertTrue(v >= 0 && v <= 1, what + ": probability " + v);
                        sum += v;
                    }
                    assertEquals(1, sum, 1e-5, what);
                }
            }
        }
    }

    @Test
    @Timeout(120)
    void damagedModelFilesAreRefusedOrAreTheOriginal() throws IOException {
        ModelFile original = sampleModel();
        Path valid = dir.resolve("model.h5");
        original.write(valid);
        byte[] bytes = Files.readAllBytes(valid);
        Mutations m = new Mutations(SEED + 1);
        int accepted = 0;
        for (int i = 0; i < CASES; i++) {
            Mutant mutant = m.mutate(bytes);
            String what = "model case " + i + " (" + mutant.description() + ")";
            Path file = Files.write(dir.resolve("m" + i + ".h5"), mutant.bytes());
            ModelFile read = refusedOrResult(what, () -> ModelFile.read(file));
            if (read != null) {
                accepted++;
                assertFalse(mutant.truncated(), what + ": a truncated file was accepted");
                checkAccepted(what, original, read);
            }
            Files.delete(file);
        }
        assertTrue(accepted > 0 && accepted < CASES, accepted + " of " + CASES + " accepted");
    }

    @Test
    @Timeout(120)
    void modelFilesWithDamagedValuesAreRefused() {
        ModelFile original = sampleModel();
        Path valid = dir.resolve("model.h5");
        original.write(valid);
        SplittableRandom r = new SplittableRandom(SEED + 2);
        String[] arrays = {
            "dense/dense/kernel:0", "dense/dense/bias:0", "dense_1/dense_1/kernel:0", "dense_1/dense_1/bias:0"
        };
        String[] attributes = {
            "cxr_format",
            "cxr_classes",
            "cxr_input_size",
            "cxr_preprocessing",
            "cxr_base",
            "cxr_base_weights_md5",
            "cxr_base_widths",
            "cxr_seed",
            "cxr_head",
            ModelFile.CHECKSUM_ATTRIBUTE
        };
        Object[] wrongValues = {
            new long[] {1, 2},
            "x",
            new int[] {-1, -1},
            new int[] {224},
            new String[] {"a", "a"},
            new double[] {Double.NaN},
            new String[] {"a\nb", "c"},
            new int[] {0, 0},
            new byte[] {1}
        };
        float[] badFloats = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 1e30f, -3e7f};
        for (int i = 0; i < CASES; i++) {
            H5Edit e = H5Edit.of(valid);
            String what;
            switch (r.nextInt(3)) {
                case 0 -> {
                    String a = arrays[r.nextInt(arrays.length)];
                    Object data = e.data(a);
                    float bad = badFloats[r.nextInt(badFloats.length)];
                    if (data instanceof float[][] k) {
                        k[r.nextInt(k.length)][r.nextInt(k[0].length)] = bad;
                    } else {
                        float[] b = (float[]) data;
                        b[r.nextInt(b.length)] = bad;
                    }
                    what = "model value case " + i + " (" + bad + " in " + a + ")";
                }
                case 1 -> {
                    String a = arrays[r.nextInt(arrays.length)];
                    Object[] replacements = {
                        new double[64], new byte[64], new int[2][2], new String[] {"bias"}, new long[2]
                    };
                    Object rep = replacements[r.nextInt(replacements.length)];
                    e.dataset(a, rep);
                    what = "model dtype case " + i + " (" + a + " as "
                            + rep.getClass().getSimpleName() + ")";
                }
                default -> {
                    String a = attributes[r.nextInt(attributes.length)];
                    Object v = wrongValues[r.nextInt(wrongValues.length)];
                    e.attribute("", a, v);
                    what = "model attribute case " + i + " (" + a + " = "
                            + v.getClass().getSimpleName() + ")";
                }
            }
            Path file = e.write(dir.resolve("v" + i + ".h5"));
            ModelFile read = refusedOrResult(what, () -> ModelFile.read(file));
            if (read != null) {
                checkAccepted(what, original, read);
            }
        }
    }

    @Test
    @Timeout(120)
    void damagedImagesAreRefusedOrDecodeWhole() throws IOException {
        Mutations m = new Mutations(SEED + 3);
        for (String name : List.of("images/png-rgb8.png", "images/jpeg-rgb-420.jpg")) {
            byte[] original = Files.readAllBytes(Resources.path(name));
            for (int i = 0; i < CASES; i++) {
                Mutant mutant = m.mutate(original);
                String what = name + " case " + i + " (" + mutant.description() + ")";
                RgbImage img = refusedOrResult(what, () -> ImageDecoder.read(name, mutant.bytes()));
                if (img != null) {
                    assertTrue(img.width() > 0 && img.height() > 0, what);
                    assertEquals((long) img.width() * img.height() * 3, img.pixels().length, what);
                }
            }
        }
    }
}
