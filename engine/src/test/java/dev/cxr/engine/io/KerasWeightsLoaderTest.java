package dev.cxr.engine.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cxr.engine.CxrException;
import dev.cxr.engine.backend.Backend;
import dev.cxr.engine.backend.cpu.ReferenceBackend;
import dev.cxr.engine.layers.Activation;
import dev.cxr.engine.layers.Conv2d;
import dev.cxr.engine.layers.Dense;
import dev.cxr.engine.layers.Flatten;
import dev.cxr.engine.layers.MaxPool2d;
import dev.cxr.engine.layers.Padding;
import dev.cxr.engine.layers.Parameter;
import dev.cxr.engine.layers.Sequential;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The generic Keras weights reader and loader on a small conv + dense network, in the Keras 1 and
 * Keras 2 layouts, and every wrong file: each gives one line naming the file and the layer, and
 * leaves the network as it was.
 */
class KerasWeightsLoaderTest {
    private final Backend backend = new ReferenceBackend();

    @TempDir
    Path dir;

    /** conv1 3x3 2->3, a pool, conv2 3x3 3->4, flatten, dense 4*2*2 -> 5. */
    private Sequential network() {
        Sequential net = new Sequential(
                "tiny",
                List.of(
                        new Conv2d(backend, "conv1", 2, 3, 3, 1, Padding.SAME, Activation.RELU),
                        new MaxPool2d(backend, "pool", 2, 2),
                        new Conv2d(backend, "conv2", 3, 4, 3, 1, Padding.SAME, Activation.RELU),
                        new Flatten(backend, "flatten"),
                        new Dense(backend, "dense", 16, 5, Activation.LINEAR)));
        SplittableRandom r = new SplittableRandom(3);
        for (Parameter p : net.parameters()) {
            float[] v = new float[p.value().size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) r.nextDouble(-1, 1);
            }
            p.set(v);
        }
        return net;
    }

    private static KerasFiles tinyFile() {
        return new KerasFiles()
                .layer("conv1", KerasFiles.hwio(3, 3, 2, 3, 1), KerasFiles.ramp(3, 1))
                .layer("conv2", KerasFiles.hwio(3, 3, 3, 4, 2), KerasFiles.ramp(4, 2))
                .layer("dense", KerasFiles.matrix(16, 5, 3), KerasFiles.ramp(5, 3));
    }

    @ParameterizedTest(name = "keras2={0}")
    @ValueSource(booleans = {false, true})
    void loadsBothLayoutsAndConvertsKernelsToOihw(boolean keras2) {
        Path file = tinyFile().write(dir.resolve("tiny.h5"), keras2);
        KerasWeights w = KerasWeightsReader.read(file);
        assertEquals(keras2 ? "2.2.4" : "1", w.kerasVersion());
        assertEquals(
                List.of("conv1", "conv2", "dense"),
                w.layers().stream().map(KerasLayerWeights::name).toList());
        assertEquals(
                keras2 ? "conv2/kernel:0" : "conv2_W_1:0",
                w.layer("conv2").orElseThrow().arrays().get(0).name());

        Sequential net = network();
        KerasWeightsLoader.load(w, net);
        Conv2d conv2 = (Conv2d) net.layer("conv2");
        float[] oihw = conv2.kernel().get();
        float[][][][] hwio = KerasFiles.hwio(3, 3, 3, 4, 2);
        for (int o = 0; o < 4; o++) {
            for (int i = 0; i < 3; i++) {
                for (int y = 0; y < 3; y++) {
                    for (int x = 0; x < 3; x++) {
                        assertEquals(hwio[y][x][i][o], oihw[((o * 3 + i) * 3 + y) * 3 + x], "o,i,y,x=" + o + i + y + x);
                    }
                }
            }
        }
        assertArrayEquals(KerasFiles.ramp(4, 2), conv2.bias().get());
        Dense dense = (Dense) net.layer("dense");
        float[] kernel = dense.kernel().get();
        assertEquals(KerasFiles.matrix(16, 5, 3)[7][2], kernel[7 * 5 + 2], "dense kernels keep Keras's [in, out]");
    }

    @Test
    void readsAFullModelFile() {
        Path file = tinyFile().write(dir.resolve("model.h5"), true, true);
        Sequential net = network();
        KerasWeightsLoader.load(KerasWeightsReader.read(file), net);
        assertArrayEquals(
                KerasFiles.ramp(5, 3), ((Dense) net.layer("dense")).bias().get());
    }

    @Test
    void hwioToOihwOnAHandExample() {
        // kh=1, kw=2, in=1, out=2: hwio[0][x][0][o] = 10x + o
        float[] hwio = {0, 1, 10, 11};
        assertArrayEquals(new float[] {0, 10, 1, 11}, KerasWeightsLoader.hwioToOihw(hwio, 1, 2, 1, 2));
    }

    @Test
    void missingLayer() {
        Path file = tinyFile().remove("conv2").write(dir.resolve("missing.h5"), true);
        expectUnchanged(file, "layer conv2 is missing");
    }

    @Test
    void wrongShape() {
        Path file = new KerasFiles()
                .layer("conv1", KerasFiles.hwio(3, 3, 2, 3, 1), KerasFiles.ramp(3, 1))
                .layer("conv2", KerasFiles.hwio(3, 3, 3, 6, 2), KerasFiles.ramp(6, 2))
                .layer("dense", KerasFiles.matrix(16, 5, 3), KerasFiles.ramp(5, 3))
                .write(dir.resolve("shape.h5"), false);
        expectUnchanged(file, "layer conv2: expected kernel (3,3,3,4), file has (3,3,3,6)");
    }

    @Test
    void wrongDtype() {
        double[] bias = {1.5, 2.5, 3.5, 4.5};
        Path file = new KerasFiles()
                .layer("conv1", KerasFiles.hwio(3, 3, 2, 3, 1), KerasFiles.ramp(3, 1))
                .layer("conv2", KerasFiles.hwio(3, 3, 3, 4, 2), bias)
                .layer("dense", KerasFiles.matrix(16, 5, 3), KerasFiles.ramp(5, 3))
                .write(dir.resolve("dtype.h5"), true);
        expectUnchanged(file, "layer conv2: weight conv2/bias:0 is float64, expected float32");
    }

    @Test
    void extraLayerOfAnotherNetwork() {
        Path file = tinyFile()
                .layer("conv3", KerasFiles.hwio(3, 3, 4, 4, 4), KerasFiles.ramp(4, 4))
                .write(dir.resolve("extra.h5"), true);
        expectUnchanged(file, "layer conv3 has weights in the file but is not in the network");
    }

    @Test
    void notHdf5() throws IOException {
        Path file = Files.writeString(dir.resolve("weights.h5"), "<html>404 not found</html>");
        expectUnchanged(file, "not an HDF5 file");
    }

    @Test
    void emptyFile() throws IOException {
        Path file = Files.write(dir.resolve("weights.h5"), new byte[0]);
        expectUnchanged(file, "empty file");
    }

    @Test
    void truncated() throws IOException {
        Path full = tinyFile().write(dir.resolve("full.h5"), true);
        byte[] bytes = Files.readAllBytes(full);
        for (int cut : new int[] {40, bytes.length / 2, bytes.length - 1}) {
            Path file = Files.write(dir.resolve("cut" + cut + ".h5"), Arrays.copyOf(bytes, cut));
            CxrException e = assertThrows(CxrException.class, () -> KerasWeightsReader.read(file));
            assertTrue(e.getMessage().startsWith(file.toString()) && oneLine(e.getMessage()), e.getMessage());
            assertTrue(e.getMessage().contains("truncated") || e.getMessage().contains("damaged"), e.getMessage());
        }
    }

    @Test
    void noLayerNames() {
        Path file = dir.resolve("plain.h5");
        try (io.jhdf.WritableHdfFile h5 = io.jhdf.HdfFile.write(file)) {
            h5.putGroup("layers").putDataset("vars", new float[] {1, 2});
        }
        expectUnchanged(file, "no 'layer_names' attribute");
    }

    private void expectUnchanged(Path file, String expectedPart) {
        Sequential net = network();
        List<float[]> before = new ArrayList<>();
        net.parameters().forEach(p -> before.add(p.get()));
        CxrException e =
                assertThrows(CxrException.class, () -> KerasWeightsLoader.load(KerasWeightsReader.read(file), net));
        assertTrue(oneLine(e.getMessage()), "one line: " + e.getMessage());
        assertTrue(e.getMessage().startsWith(file.toString()), "names the file: " + e.getMessage());
        assertTrue(e.getMessage().contains(expectedPart), "says '" + expectedPart + "': " + e.getMessage());
        for (int i = 0; i < before.size(); i++) {
            assertArrayEquals(before.get(i), net.parameters().get(i).get(), "network changed by a failed load");
        }
    }

    private static boolean oneLine(String s) {
        return s != null && !s.isBlank() && s.indexOf('\n') < 0;
    }
}
