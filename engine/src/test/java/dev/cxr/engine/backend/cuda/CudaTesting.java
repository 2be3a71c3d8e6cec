package dev.cxr.engine.backend.cuda;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Opening the GPU for a test class, or skipping it with the probe's reason (comparisons are {@link dev.cxr.engine.testing.Compare}'s). */
final class CudaTesting {
    private CudaTesting() {}

    /** The GPU backend on GPU 0 (printing its providers), or null where there is no usable GPU. */
    static CudaBackend openIfUsable(String testClass) {
        CudaStatus s = CudaProbe.status();
        if (!s.usable()) {
            System.out.println("[" + testClass + "] no usable GPU, its tests are skipped: " + s.reason());
            return null;
        }
        CudaBackend b = CudaBackend.open(0);
        System.out.println("[" + testClass + "] providers: " + b.providers());
        return b;
    }

    /** Skips the calling test, with the probe's reason, when there is no GPU (call from @BeforeEach). */
    static void assumeGpu(CudaBackend gpu) {
        assumeTrue(gpu != null, () -> "no usable GPU: " + CudaProbe.status().reason());
    }

    /** Prints the convolution algorithms the class's tests ended up with. */
    static void printPlans(String testClass, CudaBackend b) {
        if (b != null) {
            b.convolutionPlans().forEach(p -> System.out.println("[" + testClass + "] " + p));
        }
    }
}
