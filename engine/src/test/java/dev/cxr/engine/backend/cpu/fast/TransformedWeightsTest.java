package dev.cxr.engine.backend.cpu.fast;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cxr.engine.backend.Backend;
import dev.cxr.engine.backend.ConvGeometry;
import dev.cxr.engine.backend.ConvSpec;
import dev.cxr.engine.backend.cpu.CpuTensors;
import dev.cxr.engine.backend.cpu.ReferenceBackend;
import dev.cxr.engine.layers.Activation;
import dev.cxr.engine.layers.Conv2d;
import dev.cxr.engine.layers.Padding;
import dev.cxr.engine.optim.Adam;
import dev.cxr.engine.tensor.Shape;
import dev.cxr.engine.tensor.Tensor;
import dev.cxr.engine.testing.Compare;
import dev.cxr.engine.testing.Compare.Tolerance;
import dev.cxr.engine.testing.Data;
import dev.cxr.engine.testing.Tolerances;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Winograd path caches transformed kernels; every way a kernel can change must reach the
 * output: Parameter.set, an Adam step, a write through the reference backend, a direct write into
 * the CPU array.
 */
class TransformedWeightsTest {
    /** The widest of the Winograd paths': the output must be the new kernel's, not the old one's, which differs by its own size. */
    private static final Tolerance TOLERANCE = Tolerances.CPU_F4;

    private FastCpuBackend fast;
    private final Backend ref = new ReferenceBackend();
    private Conv2d conv;
    private Tensor x;

    @BeforeEach
    void setUp() {
        fast = new FastCpuBackend(2);
        conv = new Conv2d(fast, "conv", 16, 24, 3, 1, Padding.SAME, Activation.RELU)
                .initialize(new SplittableRandom(1));
        conv.bias().set(Data.uniform(24, 0.1f, 2));
        x = fast.upload(Shape.of(1, 16, 20, 20), Data.uniform(16 * 20 * 20, 1f, 3));
    }

    @AfterEach
    void tearDown() {
        conv.close();
        x.close();
        fast.close();
    }

    private float[] forward() {
        return fast.download(conv.forward(x, false));
    }

    /** The reference output for the kernel and bias the layer holds now. */
    private float[] expected() {
        Conv2d r = new Conv2d(ref, "conv", 16, 24, 3, 1, Padding.SAME, Activation.RELU);
        r.kernel().set(conv.kernel().get());
        r.bias().set(conv.bias().get());
        try (Tensor rx = ref.upload(x.shape(), fast.download(x))) {
            return ref.download(r.forward(rx, false));
        }
    }

    private void assertFollowsKernel(float[] before) {
        float[] after = forward();
        assertFalse(Arrays.equals(before, after), "output unchanged after the kernel changed");
        Compare.assertWithin(
                "the output after the kernel changed, against the new kernel's", expected(), after, TOLERANCE);
    }

    @Test
    void unchangedKernelIsTransformedOnce() {
        ConvSpec same = ConvSpec.same(3, 3, 1, 1, 20, 20);
        assertTrue(
                fast.algorithm(ConvGeometry.of(x.shape(), conv.kernel().value().shape(), same), same) != null,
                "this layer must take the Winograd path");
        float[] a = forward();
        float[] b = forward();
        assertArrayEquals(a, b);
        assertEquals(1, fast.cachedTransforms());
        Compare.assertWithin("the output of the cached kernel", expected(), a, TOLERANCE);
    }

    @Test
    void parameterSet() {
        float[] before = forward();
        conv.kernel().set(Data.uniform(24 * 16 * 9, 0.3f, 4));
        assertFollowsKernel(before);
    }

    @Test
    void adamStep() {
        float[] before = forward();
        try (Adam adam = new Adam(fast, List.of(conv.kernel()), 0.05f, 0f)) {
            fast.copy(
                    fast.upload(conv.kernel().value().shape(), Data.uniform(24 * 16 * 9, 1f, 5)),
                    conv.kernel().grad());
            adam.step();
        }
        assertFollowsKernel(before);
    }

    @Test
    void writeThroughTheReferenceBackend() {
        float[] before = forward();
        try (Tensor t = ref.upload(conv.kernel().value().shape(), Data.uniform(24 * 16 * 9, 0.3f, 6))) {
            ref.copy(t, conv.kernel().value());
        }
        assertFollowsKernel(before);
    }

    @Test
    void directWriteIntoTheArray() {
        float[] before = forward();
        float[] w = CpuTensors.data(conv.kernel().value());
        for (int i = 0; i < w.length; i += 7) {
            w[i] = -w[i] + 0.01f;
        }
        assertFollowsKernel(before);
    }
}
