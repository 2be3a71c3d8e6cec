package dev.cxr.engine.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cxr.engine.backend.Backend;
import dev.cxr.engine.io.KerasWeightsLoader;
import dev.cxr.engine.layers.Activation;
import dev.cxr.engine.layers.Conv2d;
import dev.cxr.engine.layers.Layer;
import dev.cxr.engine.layers.MaxPool2d;
import dev.cxr.engine.layers.Padding;
import dev.cxr.engine.layers.Sequential;
import dev.cxr.engine.tensor.Shape;
import dev.cxr.engine.tensor.Tensor;
import dev.cxr.engine.testing.Compare;
import dev.cxr.engine.testing.Compare.Tolerance;
import dev.cxr.engine.testing.Data;
import dev.cxr.engine.testing.H5;
import dev.cxr.engine.testing.Layouts;
import dev.cxr.engine.testing.SharedReference;
import io.jhdf.HdfFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole VGG16 forward pass on the GPU against TensorFlow's block5_pool, for two images (one in
 * tutorial, one in caffe preprocessing) in one batch, with the synthetic seed-1 weights. The network
 * is built here from the engine's layers (the engine knows no VGG; the model module has the real
 * one). Skipped without a GPU or without the reference data (see {@link Vgg16Reference}).
 */
class CudaVgg16ReferenceTest {
    /** The reference README's suggestion: ~30x TF's own float32 noise, 10x below an off-by-one resize. */
    private static final Tolerance MAX_OF_MAX = new Tolerance(
            "VGG16 against TensorFlow",
            1e-4,
            "about 30x TF's own float32 noise, 10x below the effect of an off-by-one resize");

    private static final double REL_L2_TOL = 1e-4;
    private static final int[][] BLOCKS = {{64, 64}, {128, 128}, {256, 256, 256}, {512, 512, 512}, {512, 512, 512}};

    private static CudaBackend gpu;

    @BeforeAll
    static void open() {
        gpu = CudaTesting.openIfUsable("CudaVgg16ReferenceTest");
    }

    @AfterAll
    static void close() {
        CudaTesting.printPlans("CudaVgg16ReferenceTest", gpu);
        if (gpu != null) {
            gpu.close();
        }
    }

    /** VGG16 without top, Keras layer names, weights from the Keras-1 file (HWIO kernels). */
    static Sequential vgg16(Backend b, HdfFile weights) {
        List<Layer> layers = new ArrayList<>();
        int in = 3;
        for (int blk = 0; blk < BLOCKS.length; blk++) {
            for (int c = 0; c < BLOCKS[blk].length; c++) {
                String name = "block" + (blk + 1) + "_conv" + (c + 1);
                int out = BLOCKS[blk][c];
                Conv2d conv = new Conv2d(b, name, in, out, 3, 1, Padding.SAME, Activation.RELU);
                conv.kernel()
                        .set(KerasWeightsLoader.hwioToOihw(
                                H5.floats(weights, "/" + name + "/" + name + "_W_1:0"), 3, 3, in, out));
                conv.bias().set(H5.floats(weights, "/" + name + "/" + name + "_b_1:0"));
                layers.add(conv);
                in = out;
            }
            layers.add(new MaxPool2d(b, "block" + (blk + 1) + "_pool", 2, 2));
        }
        return new Sequential("vgg16", layers);
    }

    @Test
    void wholeNetworkMatchesTensorFlow() throws Exception {
        CudaTesting.assumeGpu(gpu);
        Optional<Path> folder = Vgg16Reference.folder();
        assumeTrue(folder.isPresent(), Vgg16Reference::absentMessage);
        List<Vgg16Reference.Image> images = Vgg16Reference.images(folder.get());
        int n = images.size();
        float[] batch = new float[n * 3 * 224 * 224];
        for (int i = 0; i < n; i++) {
            System.arraycopy(
                    Layouts.hwcToChw(images.get(i).inputHwc(), 224, 224, 3),
                    0,
                    batch,
                    i * 3 * 224 * 224,
                    3 * 224 * 224);
        }
        float[] out;
        try (HdfFile weights = new HdfFile(folder.get().resolve(Vgg16Reference.WEIGHTS));
                Sequential net = vgg16(gpu, weights);
                Tensor x = gpu.upload(Shape.of(n, 3, 224, 224), batch)) {
            Tensor y = net.forward(x, false);
            assertEquals(Shape.of(n, 512, 7, 7), y.shape());
            out = gpu.download(y);
        }
        for (int i = 0; i < n; i++) {
            float[] expected = Layouts.hwcToChw(images.get(i).block5PoolHwc(), 7, 7, 512);
            float[] ours = Arrays.copyOfRange(out, i * expected.length, (i + 1) * expected.length);
            double diff2 = 0;
            double ref2 = 0;
            for (int j = 0; j < expected.length; j++) {
                double d = ours[j] - (double) expected[j];
                diff2 += d * d;
                ref2 += (double) expected[j] * expected[j];
            }
            double relL2 = Math.sqrt(diff2 / ref2);
            double ofMax =
                    Compare.assertWithin("VGG16 block5_pool " + images.get(i).name(), expected, ours, MAX_OF_MAX);
            System.out.printf(
                    Locale.ROOT,
                    "  VGG16 block5_pool %s: error %.2e of the max, relative L2 = %.2e (max|ref| %.1f)%n",
                    images.get(i).name(),
                    ofMax,
                    relL2,
                    Data.maxAbs(expected));
            assertTrue(relL2 <= REL_L2_TOL, images.get(i).name() + ": relative L2 = " + relL2);
        }
    }

    @Test
    void exportForTheGpuMachineRoundTrips(@TempDir Path tmp) throws Exception {
        Optional<Path> shared = SharedReference.folder()
                .filter(f -> f.resolve(Vgg16Reference.EXPECTED).toFile().isFile());
        assumeTrue(shared.isPresent(), SharedReference.ABSENT);
        Vgg16Reference.export(shared.get(), tmp);
        List<Vgg16Reference.Image> direct = Vgg16Reference.images(shared.get());
        List<Vgg16Reference.Image> exported = Vgg16Reference.images(tmp);
        assertEquals(2, exported.size());
        for (int i = 0; i < direct.size(); i++) {
            assertArrayEquals(direct.get(i).inputHwc(), exported.get(i).inputHwc());
            assertArrayEquals(direct.get(i).block5PoolHwc(), exported.get(i).block5PoolHwc());
            assertEquals(224 * 224 * 3, exported.get(i).inputHwc().length);
            assertEquals(7 * 7 * 512, exported.get(i).block5PoolHwc().length);
        }
    }
}
