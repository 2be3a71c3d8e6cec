package dev.cxr.cli;

import dev.cxr.engine.CxrException;
import dev.cxr.engine.backend.cpu.CpuSimd;
import dev.cxr.engine.backend.cuda.CudaBackend;
import dev.cxr.engine.backend.cuda.CudaProbe;
import dev.cxr.engine.backend.cuda.CudaStatus;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code cxr info}: what cxr can run on here. The GPU (driver, devices, cuDNN, cuBLAS, memory, and
 * whether the kernels load), or why there is none; the CPU's threads and SIMD width; and what
 * {@code --device auto} would pick. Always exits 0: a machine without a GPU is not an error.
 */
@Command(
        name = "info",
        mixinStandardHelpOptions = true,
        description = "Show the GPU (driver, cuDNN, cuBLAS, memory) or why there is none, and the CPU.")
public final class InfoCommand implements Callable<Integer> {

    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        String[] version = new Version().getVersion();
        out.println(version[0] + " on " + version[1]);
        out.println();
        out.println("CPU");
        out.println("  threads:  " + Runtime.getRuntime().availableProcessors() + " (the default for --threads 0)");
        out.println("  SIMD:     " + simd());
        out.println();
        out.println("GPU");
        CudaStatus s = CudaProbe.status();
        out.println("  driver:   " + s.driver());
        if (s.gpus().isEmpty()) {
            out.println("  devices:  none");
        }
        for (CudaStatus.Gpu g : s.gpus()) {
            out.println("  device " + g.index() + ": " + g.describe());
        }
        out.println("  cuDNN:    " + s.cudnn().describe());
        s.cudnn().notes().forEach(n -> out.println("            " + n));
        out.println("  cuBLAS:   " + s.cublas().describe());
        String auto;
        if (s.usable()) {
            int index = main == null ? 0 : main.global.gpuIndex();
            try (CudaBackend gpu = CudaBackend.open(index)) {
                long[] mem = gpu.memoryInfo();
                out.printf(
                        Locale.ROOT,
                        "  memory:   %.1f GiB free of %.1f GiB on cuda:%d%n",
                        mem[0] / GIB,
                        mem[1] / GIB,
                        index);
                out.println("  kernels:  loaded (cxr's PTX, compiled by the driver)");
                out.println("  uses:     " + gpu.providers());
                auto = gpu.name();
            } catch (CxrException e) {
                out.println("  opening:  failed: " + e.getMessage());
                auto = "the CPU (" + e.getMessage() + ")";
            }
        } else {
            out.println("  usable:   no: " + s.reason());
            auto = "the CPU (" + s.reason() + ")";
        }
        out.println();
        out.println("--device auto uses " + auto);
        out.flush();
        return 0;
    }

    private static final double GIB = 1024.0 * 1024 * 1024;

    /** The fast CPU backend's SIMD width and kernel, and whether the JIT vectorises it. */
    static String simd() {
        try {
            return CpuSimd.describe();
        } catch (CxrException e) {
            return "unknown: " + e.getMessage();
        }
    }
}
