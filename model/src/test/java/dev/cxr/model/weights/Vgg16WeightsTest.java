package dev.cxr.model.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cxr.engine.CxrException;
import dev.cxr.engine.backend.Backend;
import dev.cxr.engine.backend.cpu.ReferenceBackend;
import dev.cxr.engine.io.KerasWeightsLoader;
import dev.cxr.engine.layers.Conv2d;
import dev.cxr.engine.layers.Parameter;
import dev.cxr.engine.layers.Sequential;
import dev.cxr.engine.testing.H5;
import dev.cxr.engine.testing.Resources;
import dev.cxr.engine.testing.SharedReference;
import dev.cxr.model.Vgg16;
import dev.cxr.model.testing.VggTestFiles;
import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableGroup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * VGG16 weights from Keras files: the three layouts (Keras 1, Keras 2, Keras 2 with the top) of
 * the same values load identically; TensorFlow's narrow Keras-1 file loads; every wrong file is
 * one line naming the file and the layer, and leaves the network untouched; the full-size file
 * (../shared) verifies and loads, and its load time is printed.
 */
class Vgg16WeightsTest {
    private static final int[] W4 = {4, 4, 4, 4, 4};
    private static final int[] NARROW = {8, 16, 32, 32, 32};

    private final Backend backend = new ReferenceBackend();

    @TempDir
    Path dir;

    private Sequential randomNetwork(int[] widths) {
        Sequential net = Vgg16.features(backend, widths);
        Vgg16.initialize(net, new SplittableRandom(9));
        return net;
    }

    @Test
    void threeLayoutsLoadTheSameValues() {
        List<List<float[]>> loaded = new ArrayList<>();
        for (String f : List.of("vgg16-w4-keras1-notop.h5", "vgg16-w4-keras2-notop.h5", "vgg16-w4-keras2-top.h5")) {
            Sequential net = randomNetwork(W4);
            Path file = Resources.path("keras/" + f);
            Vgg16Weights.Info info = Vgg16Weights.load(file, net);
            assertEquals(Vgg16Weights.md5(file), info.md5());
            List<float[]> values = new ArrayList<>();
            net.parameters().forEach(p -> values.add(p.get()));
            loaded.add(values);
        }
        for (int layout = 1; layout < 3; layout++) {
            for (int p = 0; p < loaded.get(0).size(); p++) {
                assertArrayEquals(
                        loaded.get(0).get(p), loaded.get(layout).get(p), "layout " + layout + " parameter " + p);
            }
        }
        // and the values are the file's, converted: block2_conv1's kernel read straight from the Keras-2 file
        try (HdfFile h5 = new HdfFile(Resources.path("keras/vgg16-w4-keras2-notop.h5"))) {
            float[] hwio = H5.floats(h5, "block2_conv1/block2_conv1/kernel:0");
            int convIndex = Vgg16.convNames().indexOf("block2_conv1");
            float[] oihw = loaded.get(1).get(2 * convIndex);
            assertArrayEquals(KerasWeightsLoader.hwioToOihw(hwio, 3, 3, 4, 4), oihw);
            boolean nonZero = false;
            for (float v : oihw) {
                nonZero |= v != 0;
            }
            assertTrue(nonZero, "fixture values are not zero");
        }
    }

    @Test
    void withTopFileVerifiesAsSuch() {
        Vgg16Weights.Verification v = Vgg16Weights.verifyLayout(Resources.path("keras/vgg16-w4-keras2-top.h5"), W4);
        assertTrue(v.withTop());
        assertEquals("2.2.4", v.kerasVersion());
        assertFalse(v.official());
    }

    @Test
    void tensorFlowsNarrowFileLoads() {
        Sequential net = randomNetwork(NARROW);
        Path file = Resources.path("reference/small/vgg16-narrow-seed11-notop.h5");
        Vgg16Weights.load(file, net);
        Conv2d last = (Conv2d) net.layer("block5_conv3");
        try (HdfFile h5 = new HdfFile(file)) {
            assertArrayEquals(
                    H5.floats(h5, "block5_conv3/block5_conv3_b_1:0"),
                    last.bias().get());
        }
    }

    @Test
    void wrongWidthsNameTheLayerAndBothShapes() {
        Path narrow = Resources.path("reference/small/vgg16-narrow-seed11-notop.h5");
        expectUnchanged(narrow, W4, "layer block1_conv1: expected kernel (3,3,3,4), file has (3,3,3,8)");
    }

    @Test
    void vgg19LikeFileIsAnotherNetwork() {
        Path file = writeVgg(dir.resolve("vgg19ish.h5"), W4, List.of("block3_conv4"), null);
        expectUnchanged(file, W4, "layer block3_conv4 is not a VGG16 layer");
    }

    @Test
    void unrelatedNetworkIsNamed() {
        Path file = dir.resolve("resnet.h5");
        try (WritableHdfFile h5 = HdfFile.write(file)) {
            h5.putAttribute("layer_names", new String[] {"conv1", "res2a_branch2a"});
            for (String l : List.of("conv1", "res2a_branch2a")) {
                WritableGroup g = h5.putGroup(l);
                g.putAttribute("weight_names", new String[] {l + "_W:0"});
                g.putDataset(l + "_W:0", new float[][] {{1, 2}, {3, 4}});
            }
        }
        expectUnchanged(
                file,
                W4,
                "not VGG16 weights: none of its layers is a VGG16 convolution (it has conv1, res2a_branch2a)");
    }

    @Test
    void missingLayer() {
        Path file = writeVgg(dir.resolve("missing.h5"), W4, List.of(), "block4_conv2");
        expectUnchanged(file, W4, "layer block4_conv2 is missing");
    }

    @Test
    void wrongDtype() {
        Path file = dir.resolve("float64.h5");
        try (WritableHdfFile h5 = HdfFile.write(file)) {
            h5.putAttribute("layer_names", new String[] {"block1_conv1"});
            WritableGroup g = h5.putGroup("block1_conv1");
            g.putAttribute("weight_names", new String[] {"block1_conv1_W_1:0", "block1_conv1_b_1:0"});
            g.putDataset("block1_conv1_W_1:0", new double[3][3][3][4]);
            g.putDataset("block1_conv1_b_1:0", new double[] {1, 2, 3, 4});
        }
        expectUnchanged(file, W4, "layer block1_conv1: weight block1_conv1_W_1:0 is float64, expected float32");
    }

    @Test
    void truncatedFile() throws IOException {
        byte[] full = Files.readAllBytes(Resources.path("keras/vgg16-w4-keras1-notop.h5"));
        Path file = Files.write(dir.resolve("cut.h5"), Arrays.copyOf(full, full.length * 2 / 3));
        expectUnchanged(file, W4, "truncated");
    }

    @Test
    void notHdf5() throws IOException {
        Path file = Files.writeString(dir.resolve(Vgg16Weights.IMAGENET_NOTOP_FILE), "Access denied\n");
        expectUnchanged(file, W4, "not an HDF5 file");
    }

    @Test
    void absentFileSaysHowToGetOne() {
        CxrException e =
                assertThrows(CxrException.class, () -> Vgg16Weights.load(dir.resolve("none.h5"), randomNetwork(W4)));
        assertTrue(e.getMessage().contains("cxr weights fetch"), e.getMessage());
    }

    @Test
    void fullSizeFileVerifiesAndLoadsFast() {
        Optional<Path> file = SharedReference.file("vgg16-synthetic-seed1-notop.h5");
        assumeTrue(file.isPresent(), SharedReference.ABSENT);
        Vgg16Weights.Verification v = Vgg16Weights.verify(file.get());
        assertFalse(v.official(), "synthetic weights are not the ImageNet file");
        assertFalse(v.withTop());
        assertEquals("1", v.kerasVersion());

        Sequential net = Vgg16.features(backend);
        long best = Long.MAX_VALUE;
        for (int run = 0; run < 3; run++) {
            long t0 = System.nanoTime();
            Vgg16Weights.load(file.get(), net);
            best = Math.min(best, System.nanoTime() - t0);
        }
        System.out.printf(
                "VGG16 weights load (59 MB: read, check, HWIO->OIHW, set, md5): best of 3 %.0f ms%n", best / 1e6);
        Conv2d first = (Conv2d) net.layer("block1_conv1");
        try (HdfFile h5 = new HdfFile(file.get())) {
            assertArrayEquals(
                    H5.floats(h5, "block1_conv1/block1_conv1_b_1:0"),
                    first.bias().get());
        }
        // the full file does not fit a narrow network, and says so
        expectUnchanged(file.get(), W4, "layer block1_conv1: expected kernel (3,3,3,4), file has (3,3,3,64)");
    }

    @Test
    void nonFiniteOrHugeWeightsAreRefusedNamingLayerAndIndex() {
        // one bad value each: in a bias, in a kernel (HWIO flat index 3 = [0][0][0][3]), huge, and just at the bound
        expectUnchanged(
                writeVgg(dir.resolve("nan.h5"), W4, List.of(), "", new Poison("block3_conv2", false, 2, Float.NaN)),
                W4,
                "layer block3_conv2: weight block3_conv2_b_1:0 holds NaN at index 2 of 4");
        expectUnchanged(
                writeVgg(
                        dir.resolve("inf.h5"),
                        W4,
                        List.of(),
                        "",
                        new Poison("block5_conv3", true, 3, Float.NEGATIVE_INFINITY)),
                W4,
                "layer block5_conv3: weight block5_conv3_W_1:0 holds -Inf at index 3 of 144");
        expectUnchanged(
                writeVgg(dir.resolve("huge.h5"), W4, List.of(), "", new Poison("block1_conv1", false, 0, 1e30f)),
                W4,
                "layer block1_conv1: weight block1_conv1_b_1:0 holds the value 1.0E30, beyond the sane bound");
        expectUnchanged(
                writeVgg(dir.resolve("bound.h5"), W4, List.of(), "", new Poison("block1_conv1", false, 1, -1e6f)),
                W4,
                "at index 1 of 4");
        // and verify says so too, instead of "valid layout"
        Path nan = dir.resolve("nan.h5");
        CxrException e = assertThrows(CxrException.class, () -> Vgg16Weights.verifyLayout(nan, W4));
        assertTrue(e.getMessage().contains("holds NaN at index 2"), e.getMessage());
        // a value just inside the bound is a weight
        Path big = writeVgg(dir.resolve("big.h5"), W4, List.of(), "", new Poison("block1_conv1", false, 1, 999_999f));
        Vgg16Weights.verifyLayout(big, W4);
    }

    @Test
    void aUserBlockBeforeTheSuperblockIsAValidFile() {
        // the same values as vgg16-w4-keras2-notop.h5, written by h5py with userblock_size=512
        Sequential plain = randomNetwork(W4);
        Vgg16Weights.load(Resources.path("keras/vgg16-w4-keras2-notop.h5"), plain);
        Sequential withBlock = randomNetwork(W4);
        Vgg16Weights.load(Resources.path("keras/vgg16-w4-keras2-notop-userblock512.h5"), withBlock);
        for (int i = 0; i < plain.parameters().size(); i++) {
            assertArrayEquals(
                    plain.parameters().get(i).get(),
                    withBlock.parameters().get(i).get());
        }
    }

    @Test
    void aTruncatedFileWithAUserBlockIsStillTruncated() throws IOException {
        byte[] full = Files.readAllBytes(Resources.path("keras/vgg16-w4-keras2-notop-userblock512.h5"));
        Path file = Files.write(dir.resolve("cut.h5"), Arrays.copyOf(full, full.length - 100));
        expectUnchanged(file, W4, "truncated: " + (full.length - 100) + " bytes, its HDF5 header says " + full.length);
    }

    @Test
    void everyDamagedHeaderByteIsACleanRefusalOrTheSameWeights() throws IOException {
        // the superblock and what follows it: versions, sizes, the root group's address, the end-of-file address
        byte[] full = Files.readAllBytes(Resources.path("keras/vgg16-w4-keras2-notop.h5"));
        Sequential reference = randomNetwork(W4);
        Vgg16Weights.load(Resources.path("keras/vgg16-w4-keras2-notop.h5"), reference);
        for (int at = 0; at < 128; at++) {
            for (int v : new int[] {0x00, 0xff, 0x7f}) {
                byte[] b = full.clone();
                if (b[at] == (byte) v) {
                    continue;
                }
                b[at] = (byte) v;
                Path file = Files.write(dir.resolve("h" + at + "-" + v + ".h5"), b);
                Sequential net = randomNetwork(W4);
                try {
                    Vgg16Weights.load(file, net);
                } catch (CxrException e) {
                    assertTrue(VggTestFiles.oneLine(e.getMessage()), "byte " + at + ": one line: " + e.getMessage());
                    continue;
                } catch (RuntimeException e) {
                    throw new AssertionError("byte " + at + " = " + v + ": " + e + " escaped", e);
                }
                for (int i = 0; i < net.parameters().size(); i++) {
                    assertArrayEquals(
                            reference.parameters().get(i).get(),
                            net.parameters().get(i).get(),
                            "byte " + at + " = " + v + " was accepted with other weights");
                }
            }
        }
    }

    /** One value to put in place of a generated one: in {@code layer}'s kernel or bias, at a flat index. */
    private record Poison(String layer, boolean inKernel, int index, float value) {}

    private static Path writeVgg(Path file, int[] widths, List<String> extra, String drop) {
        return writeVgg(file, widths, extra, drop, new Poison("", false, 0, 0));
    }

    /** Writes VGG16 with {@code widths} in the Keras-1 layout, plus {@code extra} layers, without {@code drop}. */
    private static Path writeVgg(Path file, int[] widths, List<String> extra, String drop, Poison poison) {
        List<String> names = new ArrayList<>(Vgg16.convNames());
        names.addAll(extra);
        names.remove(drop);
        try (WritableHdfFile h5 = HdfFile.write(file)) {
            h5.putAttribute("layer_names", names.toArray(new String[0]));
            SplittableRandom r = new SplittableRandom(4);
            for (String n : names) {
                int block = n.charAt(5) - '1';
                int out = widths[block];
                int in = n.equals("block1_conv1") ? 3 : n.endsWith("conv1") ? widths[block - 1] : out;
                float[][][][] k = new float[3][3][in][out];
                for (float[][][] a : k) {
                    for (float[][] b : a) {
                        for (float[] c : b) {
                            for (int i = 0; i < c.length; i++) {
                                c[i] = (float) r.nextDouble(-1, 1);
                            }
                        }
                    }
                }
                float[] bias = new float[out];
                Arrays.fill(bias, 0.25f);
                if (n.equals(poison.layer())) {
                    if (poison.inKernel()) {
                        k[0][0][poison.index() / out][poison.index() % out] = poison.value();
                    } else {
                        bias[poison.index()] = poison.value();
                    }
                }
                WritableGroup g = h5.putGroup(n);
                g.putAttribute("weight_names", new String[] {n + "_W_1:0", n + "_b_1:0"});
                g.putDataset(n + "_W_1:0", k);
                g.putDataset(n + "_b_1:0", bias);
            }
        }
        return file;
    }

    private void expectUnchanged(Path file, int[] widths, String expectedPart) {
        Sequential net = randomNetwork(widths);
        List<float[]> before = new ArrayList<>();
        for (Parameter p : net.parameters()) {
            before.add(p.get());
        }
        CxrException e = assertThrows(CxrException.class, () -> Vgg16Weights.load(file, net));
        assertTrue(VggTestFiles.oneLine(e.getMessage()), "one line: " + e.getMessage());
        assertTrue(e.getMessage().startsWith(file.toString()), "names the file: " + e.getMessage());
        assertTrue(e.getMessage().contains(expectedPart), "says '" + expectedPart + "': " + e.getMessage());
        List<Parameter> after = net.parameters();
        for (int i = 0; i < before.size(); i++) {
            assertArrayEquals(
                    before.get(i),
                    after.get(i).get(),
                    "a failed load changed " + after.get(i).name());
        }
    }
}
