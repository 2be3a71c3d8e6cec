package dev.cxr.model.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cxr.engine.backend.Backend;
import dev.cxr.engine.backend.Backends;
import dev.cxr.engine.backend.Device;
import dev.cxr.engine.backend.cpu.ReferenceBackend;
import dev.cxr.engine.backend.cuda.CudaProbe;
import dev.cxr.engine.backend.cuda.CudaStatus;
import dev.cxr.engine.tensor.Shape;
import dev.cxr.model.testing.Backends4Tests;
import dev.cxr.model.testing.NarrowVgg;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The corner base computes the features the head reads: its 4x4 output from the top-left 218x218
 * of each image equals rows and columns 0-3 of the full network's 7x7 block5_pool: bit for bit on
 * the reference backend, whose sums run in the same order whatever the map's size; within float32
 * rounding on the fast CPU backend, whose Winograd tiles follow the size.
 */
class FrozenBaseCornerTest {
    private static final int SIZE = 224;
    /**
     * The fast backend's convolutions agree with the reference to 5e-5 of max per layer and a few
     * 1e-6 through the network; its full and corner runs tile differently. An indexing or padding
     * error would move values by their own size.
     */
    private static final double FAST_TOL_OF_MAX = 2e-5;
    /**
     * cuDNN picks its algorithm per shape, so the full and corner networks may sum in different
     * orders (or through Winograd or FFT); the corner base's asymmetric padding goes through an
     * explicit zero-padded copy there.
     */
    private static final double GPU_TOL_OF_MAX = 1e-4;

    @Test
    void cornerOnTheReferenceBackendIsTheFullNetworksCorner() {
        compare(new ReferenceBackend(), 0);
    }

    @Test
    void cornerOnTheFastBackendIsTheFullNetworksCorner() {
        compare(Backends4Tests.cpu(), FAST_TOL_OF_MAX);
    }

    @Test
    void cornerOnTheGpuIsTheFullNetworksCorner() {
        CudaStatus gpu = CudaProbe.status();
        assumeTrue(gpu.usable(), () -> "no usable GPU: " + gpu.reason());
        compare(Backends.open(Device.GPU, 0, 0, msg -> {}), GPU_TOL_OF_MAX);
    }

    private static void compare(Backend backend, double tolOfMax) {
        int n = 2;
        float[] images = new float[n * 3 * SIZE * SIZE];
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < images.length; i++) {
            images[i] = (float) (r.nextDouble() * 255 - 120); // caffe-like range, never zero
        }
        try (backend;
                FrozenBase full = FrozenBase.load(backend, NarrowVgg.weights());
                FrozenBase corner = FrozenBase.loadCorner(backend, NarrowVgg.weights(), 4)) {
            assertEquals(SIZE, full.inputSize());
            assertEquals(218, corner.inputSize(), "block5_pool rows 0-3 read input rows 0-217");
            Shape fs = full.outputShape(n);
            assertEquals(Shape.of(n, fs.c(), 7, 7), fs);
            assertEquals(Shape.of(n, fs.c(), 4, 4), corner.outputShape(n));
            float[] a = backend.download(full.forward(images, n, SIZE));
            float[] b = backend.download(corner.forward(images, n, SIZE));
            double max = 0;
            for (float v : a) {
                max = Math.max(max, Math.abs(v));
            }
            assertTrue(max > 0, "the features are not all zero");
            int channels = fs.c();
            int nonZero = 0;
            for (int i = 0; i < n; i++) {
                for (int c = 0; c < channels; c++) {
                    for (int y = 0; y < 4; y++) {
                        for (int x = 0; x < 4; x++) {
                            float want = a[((i * channels + c) * 7 + y) * 7 + x];
                            float got = b[((i * channels + c) * 4 + y) * 4 + x];
                            nonZero += want != 0 ? 1 : 0;
                            assertEquals(
                                    want,
                                    got,
                                    tolOfMax * max,
                                    backend.name() + ": feature (" + i + "," + c + "," + y + "," + x + ")");
                        }
                    }
                }
            }
            assertTrue(nonZero > n * channels * 4, "most of the corner is not ReLU's zero: " + nonZero);
        }
    }
}
