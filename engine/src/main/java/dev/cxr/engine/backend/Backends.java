package dev.cxr.engine.backend;

import dev.cxr.engine.CxrException;
import dev.cxr.engine.CxrException.Remedy;
import dev.cxr.engine.backend.cpu.CpuSimd;
import dev.cxr.engine.backend.cpu.PlainCpuBackend;
import dev.cxr.engine.backend.cpu.ReferenceBackend;
import dev.cxr.engine.backend.cpu.fast.FastCpuBackend;
import dev.cxr.engine.backend.cuda.CudaBackend;
import dev.cxr.engine.backend.cuda.CudaProbe;
import dev.cxr.engine.backend.cuda.CudaStatus;
import java.util.function.Consumer;

/**
 * Opens the backend the user chose, once, at the edge of the program; everything below receives it
 * through constructors.
 */
public final class Backends {
    private Backends() {}

    /**
     * @param device   what the user asked for
     * @param gpuIndex which GPU, for {@link Device#GPU} and {@link Device#AUTO}
     * @param threads  CPU threads for the fast CPU backend; 0 means all cores
     * @param notice   receives one-line notices (why {@code auto} fell back to the CPU)
     * @throws CxrException when the device asked for cannot be used, saying why
     */
    public static Backend open(Device device, int gpuIndex, int threads, Consumer<String> notice) {
        if (threads < 0) {
            throw new CxrException(
                    "the CPU thread count must be 0 (all cores) or positive, got " + threads, Remedy.THREAD_COUNT);
        }
        switch (device) {
            case REFERENCE:
                return new ReferenceBackend();
            case CPU:
                return cpu(threads, notice);
            case GPU:
                return CudaBackend.open(gpuIndex);
            case AUTO:
            default:
                return gpuOrCpu(gpuIndex, threads, notice);
        }
    }

    /** The GPU when the probe finds one usable, otherwise the CPU with a one-line notice saying why. */
    private static Backend gpuOrCpu(int gpuIndex, int threads, Consumer<String> notice) {
        CudaStatus status = CudaProbe.status();
        if (!status.usable()) {
            notice.accept("device auto: no usable GPU (" + status.reason() + "), using the CPU");
            return cpu(threads, notice);
        }
        try {
            return CudaBackend.open(gpuIndex);
        } catch (CxrException e) {
            notice.accept("device auto: the GPU did not open (" + e.getMessage() + "), using the CPU");
            return cpu(threads, notice);
        }
    }

    /**
     * The fast CPU backend, or, where its SIMD kernels would not run as machine vectors (no Vector API
     * module, no vectorising JIT), the plain-loop backend with a one-line notice saying why.
     */
    private static Backend cpu(int threads, Consumer<String> notice) {
        String problem = CpuSimd.problem();
        if (problem != null) {
            notice.accept("cpu: no SIMD: " + problem + "; running plain loops, several times slower");
            return new PlainCpuBackend(threads);
        }
        return new FastCpuBackend(threads);
    }
}
