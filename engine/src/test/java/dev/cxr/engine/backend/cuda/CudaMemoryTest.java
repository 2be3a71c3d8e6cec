package dev.cxr.engine.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cxr.engine.backend.cpu.ReferenceBackend;
import dev.cxr.engine.tensor.Shape;
import dev.cxr.engine.tensor.Tensor;
import dev.cxr.engine.testing.Data;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The CUDA backend's memory: transfers of every size the copy paths split at, zeros, views, and the
 * refusals (a tensor of another backend, a closed tensor, any tensor of a closed backend). The ops'
 * values are the backend-ops harness's to check. Skipped, with the probe's reason, without a GPU.
 */
class CudaMemoryTest {
    private static CudaBackend gpu;

    @BeforeAll
    static void open() {
        gpu = CudaTesting.openIfUsable("CudaMemoryTest");
    }

    @BeforeEach
    void gpuPresent() {
        CudaTesting.assumeGpu(gpu);
    }

    @AfterAll
    static void close() {
        if (gpu != null) {
            gpu.close();
        }
    }

    @Test
    void uploadDownloadFillCopyAndZeros() {
        // small (pageable copy), above the pinned threshold, and above the pinned buffer (copied in pieces)
        for (int n : new int[] {1, 1000, 300_000, 17_000_001}) {
            float[] data = Data.uniform(n, 3f, n);
            try (Tensor t = gpu.upload(Shape.of(n), data)) {
                assertTrue(Arrays.equals(data, gpu.download(t)), "round trip of " + n + " floats");
                try (Tensor c = gpu.zeros(Shape.of(n))) {
                    assertTrue(allEqual(gpu.download(c), 0f), "zeros(" + n + ")");
                    gpu.copy(t, c);
                    assertTrue(Arrays.equals(data, gpu.download(c)), "copy of " + n);
                    gpu.fill(c, -2.5f);
                    assertTrue(allEqual(gpu.download(c), -2.5f), "fill of " + n);
                }
            }
        }
        try (Tensor t = gpu.upload(Shape.of(2, 3), Data.uniform(6, 1f, 5))) {
            Tensor view = t.view(Shape.of(6));
            assertEquals(6, gpu.download(view).length);
        }
    }

    private static boolean allEqual(float[] a, float v) {
        for (float x : a) {
            if (x != v) {
                return false;
            }
        }
        return true;
    }

    @Test
    void tensorsOfAnotherBackendOrClosedOnesAreRefused() {
        try (Tensor cpu = new ReferenceBackend().upload(Shape.of(4), Data.uniform(4, 1f, 1));
                Tensor g = gpu.upload(Shape.of(4), Data.uniform(4, 1f, 2))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> gpu.add(cpu, g));
            assertTrue(e.getMessage().contains("not on this GPU"), e.getMessage());
        }
        Tensor closed = gpu.upload(Shape.of(4), Data.uniform(4, 1f, 3));
        closed.close();
        closed.close();
        assertThrows(IllegalStateException.class, () -> gpu.download(closed));
    }

    /** Backend.close(): the tensors still open are freed with the backend; using one fails, closing it later is harmless. */
    @Test
    void closingTheBackendFreesItsTensors() {
        CudaBackend other = CudaBackend.open(0);
        Tensor t = other.upload(Shape.of(1000), Data.uniform(1000, 1f, 4));
        other.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> other.download(t));
        assertTrue(e.getMessage().contains("after close()"), e.getMessage());
        t.close();
        other.close();
    }
}
