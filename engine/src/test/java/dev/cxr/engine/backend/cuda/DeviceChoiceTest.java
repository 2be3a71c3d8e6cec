package dev.cxr.engine.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cxr.engine.CxrException;
import dev.cxr.engine.backend.Backend;
import dev.cxr.engine.backend.Backends;
import dev.cxr.engine.backend.Device;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code --device auto} and {@code --device gpu} on whatever machine runs the suite: without a
 * usable GPU, auto gives the CPU with one notice line saying why, and gpu fails with one line saying
 * why; with one, both give the GPU. Runs everywhere (CI has no GPU; the GPU machine has one).
 */
class DeviceChoiceTest {

    @Test
    void probeGivesAReasonExactlyWhenTheGpuIsUnusable() {
        CudaStatus s = CudaProbe.status();
        System.out.println(
                "CUDA probe: " + (s.usable() ? "usable, " + s.gpus().get(0).describe() : s.reason()));
        assertNotNull(s.driver());
        if (s.usable()) {
            assertEquals(null, s.reason());
            assertFalse(s.gpus().isEmpty());
            assertTrue(s.cudnn().loaded());
        } else {
            assertNotNull(s.reason());
            assertFalse(s.reason().contains("\n"), "one line: " + s.reason());
            assertTrue(
                    s.reason().startsWith("no NVIDIA driver")
                            || s.reason().startsWith("no CUDA device")
                            || s.reason().startsWith("cuDNN 9 not found")
                            || s.reason().startsWith("the CUDA driver failed")
                            || s.reason().startsWith("JCuda's driver library"),
                    s.reason());
        }
        assertSame(s, CudaProbe.status(), "the probe runs once per process");
    }

    @Test
    void autoFallsBackToTheCpuWithOneNoticeLine() {
        CudaStatus s = CudaProbe.status();
        List<String> notices = new ArrayList<>();
        try (Backend b = Backends.open(Device.AUTO, 0, 0, notices::add)) {
            if (s.usable()) {
                assertEquals("cuda:0", b.name());
                assertEquals(List.of(), notices);
            } else {
                assertFalse(b.name().startsWith("cuda"), b.name());
                assertEquals(1, notices.size(), "one notice: " + notices);
                String line = notices.get(0);
                assertTrue(line.startsWith("device auto: no usable GPU (") && line.endsWith("), using the CPU"), line);
                assertTrue(line.contains(s.reason()), line);
                assertFalse(line.contains("\n"));
            }
        }
    }

    @Test
    void gpuWithoutAUsableGpuIsOneClearLine() {
        CudaStatus s = CudaProbe.status();
        if (s.usable()) {
            try (Backend b = Backends.open(Device.GPU, 0, 0, msg -> {})) {
                assertEquals("cuda:0", b.name());
            }
            return;
        }
        CxrException e = assertThrows(CxrException.class, () -> Backends.open(Device.GPU, 0, 0, msg -> {}));
        assertEquals("no usable GPU: " + s.reason(), e.getMessage());
        assertEquals(CxrException.Remedy.USE_THE_CPU, e.remedy(), "the command line adds: use --device cpu or auto");
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void aGpuIndexBeyondTheMachineIsOneClearLine() {
        CudaStatus s = CudaProbe.status();
        CxrException e =
                assertThrows(CxrException.class, () -> CudaBackend.open(s.gpus().size() + 3));
        assertTrue(e.getMessage().startsWith(s.usable() ? "there is no GPU " : "no usable GPU: "), e.getMessage());
        assertEquals(s.usable() ? CxrException.Remedy.ANOTHER_GPU : CxrException.Remedy.USE_THE_CPU, e.remedy());
        List<String> notices = new ArrayList<>();
        try (Backend b = Backends.open(Device.AUTO, s.gpus().size() + 3, 0, notices::add)) {
            assertFalse(b.name().startsWith("cuda"));
            assertEquals(1, notices.size());
        }
    }

    @Test
    void cudnnVersionsReadAsCudnnWritesThem() {
        assertEquals("9.10.2", CudaProbe.cudnnVersion(91002));
        assertEquals("9.0.0", CudaProbe.cudnnVersion(90000));
        assertEquals("8.9.7", CudaProbe.cudnnVersion(8907));
    }
}
